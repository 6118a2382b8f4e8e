package io.bitbridge.bitbucket.cloud;

import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.callguard.EndpointGuards;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Build statuses on Bitbucket Cloud commits (docs/bitbucket-api-notes.md §11):
 * {@code POST /2.0/repositories/{workspace}/{repo_slug}/commit/{commit}/statuses/build}. Posting the same {@code key}
 * again moves that status on (INPROGRESS, then SUCCESSFUL or FAILED), so a repeat is harmless.
 */
public final class CloudBuildStatuses {

    public enum State { INPROGRESS, SUCCESSFUL, FAILED, STOPPED }

    /**
     * @param key     unique per build on the commit, e.g. {@code BITBRIDGE-GameBuild}
     * @param url     link to the build (required by Bitbucket)
     * @param refName the branch the build is for; may be null
     */
    public record BuildStatus(String key, State state, String url, String name, String description, String refName) {
    }

    private final BitbucketHttp http;

    public CloudBuildStatuses(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    public CloudBuildStatuses(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.http = new BitbucketHttp(endpoint.at(CloudClient.apiRoot(endpoint.apiBaseUrl())), guards);
    }

    public void post(String workspace, String repoSlug, String commit, BuildStatus status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", status.key());
        body.put("state", status.state().name());
        body.put("url", status.url());
        if (status.name() != null) {
            body.put("name", status.name());
        }
        if (status.description() != null) {
            body.put("description", status.description());
        }
        if (status.refName() != null) {
            body.put("refname", status.refName());
        }
        http.post("/2.0/repositories/" + BitbucketHttp.segment(workspace) + "/" + BitbucketHttp.segment(repoSlug) + "/commit/"
                + BitbucketHttp.segment(commit) + "/statuses/build", body);
    }
}
