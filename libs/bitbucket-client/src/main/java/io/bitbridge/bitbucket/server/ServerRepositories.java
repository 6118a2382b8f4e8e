package io.bitbridge.bitbucket.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.bitbucket.DiscoveredRepository;
import io.bitbridge.bitbucket.RequestPacing;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.events.RepositoryRef;

import java.util.ArrayList;
import java.util.List;

import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * Every repository a Server / Data Center credential can read: {@code /rest/api/1.0/repos}, paged with
 * {@code start}/{@code limit}/{@code nextPageStart} (docs/bitbucket-api-notes.md §9). The listing carries no default
 * branch, so {@link DiscoveredRepository#mainBranch()} is null.
 */
public final class ServerRepositories {
    private static final int LIMIT = 100;
    private static final int MAX_PAGES = 500;

    private final BitbucketHttp http;
    private final RequestPacing pacing;

    public ServerRepositories(BitbucketEndpoint endpoint, EndpointGuards guards, RequestPacing pacing) {
        this.http = new BitbucketHttp(endpoint, guards);
        this.pacing = pacing;
    }

    public List<DiscoveredRepository> all() {
        List<DiscoveredRepository> repositories = new ArrayList<>();
        for (JsonNode repository : ServerPages.all(start -> pacing.call(() -> http.get("/rest/api/1.0/repos?start=" + start
                + "&limit=" + LIMIT).body()), MAX_PAGES)) {
            repositories.add(repository(repository));
        }
        return repositories;
    }

    private static DiscoveredRepository repository(JsonNode repository) {
        List<RepositoryRef.CloneUrl> clones = new ArrayList<>();
        repository.path("links").path("clone").forEach(link -> clones.add(new RepositoryRef.CloneUrl(text(link, "name"), text(link, "href"))));
        JsonNode self = repository.path("links").path("self");
        return new DiscoveredRepository(text(repository.path("project"), "key"), text(repository, "slug"), text(repository, "name"),
                null, !repository.path("public").asBoolean(false), self.isArray() && !self.isEmpty() ? text(self.get(0), "href") : null,
                clones);
    }
}
