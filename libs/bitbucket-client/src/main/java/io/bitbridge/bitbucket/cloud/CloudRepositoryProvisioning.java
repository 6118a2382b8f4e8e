package io.bitbridge.bitbucket.cloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Bitbucket Cloud: {@code GET}/{@code POST /2.0/repositories/{ws}/{slug}} (create answers 200) and the repository's
 * explicit group permissions ({@code GET}/{@code PUT …/permissions-config/groups/{group_slug}} with
 * {@code {"permission":"write"}}); docs/bitbucket-api-notes.md §12. Group changes take Basic authentication (an API
 * token or app password).
 */
public final class CloudRepositoryProvisioning implements RepositoryProvisioning {
    private static final Set<String> WRITES = Set.of("write", "admin");

    private final BitbucketHttp http;

    public CloudRepositoryProvisioning(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    public CloudRepositoryProvisioning(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.http = new BitbucketHttp(endpoint.at(CloudClient.apiRoot(endpoint.apiBaseUrl())), guards);
    }

    @Override
    public boolean ensureRepository(String owner, String slug, boolean isPrivate, String description, String mainBranch) {
        if (found(repositoryPath(owner, slug))) {
            return false;
        }
        ObjectNode body = BitbucketHttp.json().createObjectNode().put("scm", "git").put("is_private", isPrivate);
        if (description != null) {
            body.put("description", description);
        }
        if (mainBranch != null) {
            body.putObject("mainbranch").put("type", "branch").put("name", mainBranch);
        }
        http.post(repositoryPath(owner, slug), body);
        return true;
    }

    @Override
    public boolean ensureGroupWrite(String owner, String slug, String group) {
        String path = repositoryPath(owner, slug) + "/permissions-config/groups/" + segment(group);
        try {
            if (WRITES.contains(text(http.get(path).body(), "permission"))) {
                return false;
            }
        } catch (BitbucketApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        http.put(path, BitbucketHttp.json().createObjectNode().put("permission", "write"));
        return true;
    }

    private boolean found(String path) {
        try {
            http.get(path);
            return true;
        } catch (BitbucketApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String repositoryPath(String owner, String slug) {
        return "/2.0/repositories/" + segment(owner) + "/" + segment(slug);
    }
}
