package io.bitbridge.fakes.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/** A repository: metadata, an in-memory git repository, webhooks and group grants. */
public final class ServerRepository {

    private final int id;
    private final ServerProject project;
    private volatile String slug;
    private volatile String name;
    private volatile String description;
    private volatile boolean isPublic;
    private final InMemoryRepository git;
    private final WebhookScope webhooks = new WebhookScope("repository");
    private final Map<String, ServerPermission> groupPermissions = new LinkedHashMap<>();
    private final Map<Integer, ServerDeployKey> deployKeys = new LinkedHashMap<>();

    ServerRepository(int id, ServerProject project, String slug, String name, String description, boolean isPublic,
                     String defaultBranch) {
        this.id = id;
        this.project = project;
        this.slug = slug;
        this.name = name;
        this.description = description;
        this.isPublic = isPublic;
        this.git = new InMemoryRepository(new DfsRepositoryDescription(project.key() + "/" + slug));
        setDefaultBranch(defaultBranch);
    }

    public int id() {
        return id;
    }

    public ServerProject project() {
        return project;
    }

    public String slug() {
        return slug;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public boolean isPublic() {
        return isPublic;
    }

    void rename(String newName, String newSlug) {
        this.name = newName;
        this.slug = newSlug;
    }

    void describe(String newDescription) {
        this.description = newDescription;
    }

    void makePublic(boolean value) {
        this.isPublic = value;
    }

    /** The git repository; use it in tests to inspect what was pushed. */
    public Repository git() {
        return git;
    }

    /** The branch HEAD points to ("main"), whether or not it has commits yet. */
    public String defaultBranch() {
        try {
            return Repository.shortenRefName(git.getFullBranch());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setDefaultBranch(String branch) {
        try {
            RefUpdate head = git.updateRef(Constants.HEAD);
            head.disableRefLog();
            head.link(Constants.R_HEADS + branch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's own webhooks (project hooks live in {@link ServerModel#projectWebhooks}). */
    public WebhookScope webhooks() {
        return webhooks;
    }

    public synchronized List<ServerDeployKey> deployKeys() {
        return List.copyOf(deployKeys.values());
    }

    synchronized void addDeployKey(ServerDeployKey key) {
        deployKeys.put(key.id(), key);
    }

    synchronized void removeDeployKey(int keyId) {
        deployKeys.remove(keyId);
    }

    /** The groups granted a permission on this repository, and the permission. */
    public synchronized Map<String, ServerPermission> groupPermissions() {
        return new LinkedHashMap<>(groupPermissions);
    }

    synchronized void grantGroup(String group, ServerPermission permission) {
        groupPermissions.put(group, permission);
    }

    synchronized void revokeGroup(String group) {
        groupPermissions.remove(group);
    }
}
