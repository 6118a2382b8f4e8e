package io.bitbridge.scraper.support;

import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.fakes.server.ServerAccessToken;
import io.bitbridge.fakes.server.ServerPermission;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The Bitbucket fakes seeded for default branches and branch listings, with at most {@value #DEFAULT_BRANCH_READS}
 * default-branch reads per scrape. Cloud: the sandbox plus {@code acme/branchy} with {@value #EXTRA_BRANCHES} branches
 * beside {@code main} (two pages of 100). Server: the sandbox plus project {@value #PROJECT}, readable with the project
 * token {@value #PROJECT_TOKEN}, holding {@code one} (commits on {@code main}, and {@value #EXTRA_BRANCHES} more branches),
 * {@code two} (commits on its default branch {@code trunk}) and {@code empty} (no commits, so no default branch yet).
 */
public class BranchFakes extends BitbucketFakes {
    public static final int DEFAULT_BRANCH_READS = 2;
    public static final int EXTRA_BRANCHES = 105;
    public static final String PROJECT = "DFB";
    public static final String PROJECT_TOKEN = "dfb-project-token";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("bitbridge.scraper.discovery.default-branch-reads", Integer.toString(DEFAULT_BRANCH_READS));
        return config;
    }

    @Override
    protected BitbucketCloudFake startCloud() {
        BitbucketCloudFake.Builder builder = BitbucketCloudFake.sandboxBuilder()
                .repository("acme", "branchy", "main", Map.of("README.md", "# branchy\n"));
        for (int i = 0; i < EXTRA_BRANCHES; i++) {
            builder.branch("acme", "branchy", String.format("feature-%03d", i), Map.of("f.txt", i + "\n"));
        }
        return builder.start();
    }

    @Override
    protected BitbucketServerFake startServer() {
        BitbucketServerFake server = BitbucketServerFake.sandbox(0);
        var project = server.model().addProject(PROJECT, "Default branches", null);
        server.model().createRepository(project, "one", "One", false, "main");
        server.model().createRepository(project, "two", "Two", false, "trunk");
        server.model().createRepository(project, "empty", "Empty", false, "main");
        server.model().addToken(new ServerAccessToken("dfb", PROJECT_TOKEN, BitbucketServerFake.SANDBOX_USER,
                ServerPermission.REPO_READ, PROJECT, null));
        String head = server.commitFiles(PROJECT, "one", "main", Map.of("README.md", "# one\n"), "First", BitbucketServerFake.SANDBOX_USER);
        server.commitFiles(PROJECT, "two", "trunk", Map.of("README.md", "# two\n"), "First", BitbucketServerFake.SANDBOX_USER);
        Repository git = server.repository(PROJECT, "one").git();
        for (int i = 0; i < EXTRA_BRANCHES; i++) {
            createBranch(git, String.format("feature-%03d", i), head);
        }
        return server;
    }

    private static void createBranch(Repository git, String name, String commit) {
        try {
            RefUpdate update = git.updateRef(Constants.R_HEADS + name);
            update.setNewObjectId(ObjectId.fromString(commit));
            update.disableRefLog();
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW) {
                throw new IllegalStateException("branch " + name + " not created: " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
