package io.bitbridge.bitbucket.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.bitbucket.RepositoryProvisioning;
import io.bitbridge.callguard.EndpointGuards;

import java.util.Set;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;
import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * Bitbucket Server / Data Center, as {@code flux bootstrap bitbucket-server} does it (docs/bitbucket-api-notes.md §9):
 * {@code GET /rest/api/1.0/projects/{key}/repos/{slug}}, on 404 {@code POST …/projects/{key}/repos} with
 * {@code {"name","scmId":"git","public","defaultBranch"}} (201; 409 when the name is taken); group write access through
 * {@code GET …/permissions/groups?filter=} then {@code PUT …/permissions/groups?permission=REPO_WRITE&name=} (204).
 * A personal repository's project key is {@code ~{userSlug}}.
 */
public final class ServerRepositoryProvisioning implements RepositoryProvisioning {
    private static final Set<String> WRITES = Set.of("REPO_WRITE", "REPO_ADMIN");
    private static final int MAX_PAGES = 20;

    private final BitbucketHttp http;

    public ServerRepositoryProvisioning(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    public ServerRepositoryProvisioning(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.http = new BitbucketHttp(endpoint, guards);
    }

    @Override
    public boolean ensureRepository(String owner, String slug, boolean isPrivate, String description, String mainBranch) {
        try {
            http.get(repositoryPath(owner, slug));
            return false;
        } catch (BitbucketApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        var body = BitbucketHttp.json().createObjectNode().put("name", slug).put("scmId", "git").put("public", !isPrivate);
        if (description != null) {
            body.put("description", description);
        }
        if (mainBranch != null) {
            body.put("defaultBranch", mainBranch);
        }
        try {
            http.post("/rest/api/1.0/projects/" + segment(owner) + "/repos", body);
            return true;
        } catch (BitbucketApiException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean ensureGroupWrite(String owner, String slug, String group) {
        String path = repositoryPath(owner, slug) + "/permissions/groups";
        for (JsonNode grant : ServerPages.all(start -> http.get(path + "?filter=" + segment(group) + "&start=" + start).body(), MAX_PAGES)) {
            if (group.equals(text(grant.path("group"), "name")) && WRITES.contains(text(grant, "permission"))) {
                return false;
            }
        }
        http.put(path + "?permission=REPO_WRITE&name=" + segment(group), null);
        return true;
    }

    private static String repositoryPath(String owner, String slug) {
        return "/rest/api/1.0/projects/" + segment(owner) + "/repos/" + segment(slug);
    }
}
