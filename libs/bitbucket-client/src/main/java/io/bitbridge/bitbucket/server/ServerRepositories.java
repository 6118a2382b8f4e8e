package io.bitbridge.bitbucket.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.bitbucket.DiscoveredRepository;
import io.bitbridge.bitbucket.RepositoryBranches;
import io.bitbridge.bitbucket.RequestPacing;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.events.RepositoryRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;
import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * Every repository a Server / Data Center credential can read: {@code /rest/api/1.0/repos}, paged with
 * {@code start}/{@code limit}/{@code nextPageStart} (docs/bitbucket-api-notes.md §9). The listing carries no default
 * branch, so {@link DiscoveredRepository#mainBranch()} is null: {@link #defaultBranch} reads it, one call per repository.
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

    /**
     * The repository's configured default branch: Data Center's {@code GET …/repos/{slug}/default-branch}
     * (docs/bitbucket-api-notes.md §15); empty when the repository has none yet (an empty repository answers 404).
     */
    public Optional<String> defaultBranch(String projectKey, String slug) {
        try {
            JsonNode ref = pacing.call(() -> http.get(repositoryPath(projectKey, slug) + "/default-branch").body());
            return Optional.ofNullable(text(ref, "displayId"));
        } catch (BitbucketApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The repository's branches, at most {@code cap}: {@code …/repos/{slug}/branches} paged with {@code start}/{@code limit}
     * (docs/bitbucket-api-notes.md §9), each with its head commit and whether it is the default.
     */
    public RepositoryBranches branches(String projectKey, String slug, int cap) {
        List<RepositoryBranches.Branch> branches = new ArrayList<>();
        int start = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            int from = start;
            JsonNode body = pacing.call(() -> http.get(repositoryPath(projectKey, slug) + "/branches?start=" + from
                    + "&limit=" + LIMIT).body());
            for (JsonNode branch : body.path("values")) {
                if (branches.size() == cap) {
                    return new RepositoryBranches(branches, true);
                }
                branches.add(new RepositoryBranches.Branch(text(branch, "displayId"), text(branch, "latestCommit"),
                        (branch.has("isDefault") ? branch.path("isDefault") : branch.path("default")).asBoolean(false)));
            }
            boolean last = body.path("isLastPage").asBoolean(true) || !body.hasNonNull("nextPageStart");
            if (last) {
                return new RepositoryBranches(branches, false);
            }
            if (branches.size() == cap) {
                return new RepositoryBranches(branches, true);
            }
            int next = body.get("nextPageStart").asInt();
            if (next <= start) {
                throw new IllegalStateException("nextPageStart " + next + " does not move past " + start);
            }
            start = next;
        }
        throw new IllegalStateException("more than " + MAX_PAGES + " pages of branches");
    }

    private static String repositoryPath(String projectKey, String slug) {
        return "/rest/api/1.0/projects/" + segment(projectKey) + "/repos/" + segment(slug);
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
