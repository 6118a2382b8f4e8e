package io.bitbridge.bitbucket.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.callguard.EndpointGuards;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;

/**
 * Build statuses on Bitbucket Server / Data Center commits, repository-scoped (docs/bitbucket-api-notes.md §11, §13):
 * {@code POST /rest/api/latest/projects/{projectKey}/repos/{repositorySlug}/commits/{commitId}/builds}, answered 204.
 * Posting the same {@code key} on the same commit again replaces that status (INPROGRESS, then SUCCESSFUL or FAILED),
 * so a repeat is harmless. The commit must be the full 40-character id; {@code ref} must be fully qualified.
 */
public final class ServerBuildStatuses {

    public enum State { INPROGRESS, SUCCESSFUL, FAILED, CANCELLED, UNKNOWN }

    /**
     * @param key         unique per build on the commit (at most 255 characters), e.g. {@code BITBRIDGE-GameBuild}
     * @param url         link to the build (required, at most 450 characters)
     * @param buildNumber the CI's number of this run; may be null
     * @param ref         the fully qualified ref the build is for ({@code refs/heads/main}); may be null
     */
    public record BuildStatus(String key, State state, String url, String name, String description, String buildNumber,
                              String ref) {
    }

    private final BitbucketHttp http;

    public ServerBuildStatuses(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    public ServerBuildStatuses(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.http = new BitbucketHttp(endpoint, guards);
    }

    public void post(String projectKey, String repositorySlug, String commitId, BuildStatus status) {
        http.post("/rest/api/latest/projects/" + segment(projectKey) + "/repos/" + segment(repositorySlug) + "/commits/"
                + segment(commitId) + "/builds", new Body(status.key(), status.state().name(), status.url(), status.name(),
                status.description(), status.buildNumber(), status.ref()));
    }

    /** RestBuildStatusSetRequest; absent optional fields are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(String key, String state, String url, String name, String description, String buildNumber, String ref) {
    }
}
