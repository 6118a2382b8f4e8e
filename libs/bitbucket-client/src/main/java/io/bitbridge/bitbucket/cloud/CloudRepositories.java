package io.bitbridge.bitbucket.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.bitbucket.DiscoveredRepository;
import io.bitbridge.bitbucket.RepositoryBranches;
import io.bitbridge.bitbucket.RequestPacing;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.events.RepositoryRef;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;
import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * Every repository a Cloud credential is a member of: {@code /2.0/user/workspaces}, then
 * {@code /2.0/repositories/{workspace}?role=member} per workspace, {@code pagelen=100}, following {@code next} as given
 * and only on the API's origin. The cross-workspace routes answer 410 now and are not used (docs/bitbucket-api-notes.md §5).
 */
public final class CloudRepositories {
    private static final int MAX_PAGES = 200;

    private final BitbucketHttp http;
    private final RequestPacing pacing;
    private final String origin;

    public CloudRepositories(BitbucketEndpoint endpoint, EndpointGuards guards, RequestPacing pacing) {
        BitbucketEndpoint root = endpoint.at(CloudClient.apiRoot(endpoint.apiBaseUrl()));
        this.http = new BitbucketHttp(root, guards);
        this.pacing = pacing;
        this.origin = root.origin();
    }

    /** The workspace slugs the credential reaches, sorted. */
    public List<String> workspaces() {
        TreeSet<String> slugs = new TreeSet<>();
        pages(http.resolve("/2.0/user/workspaces?pagelen=100"), access -> {
            String slug = text(access.path("workspace"), "slug");
            if (slug != null) {
                slugs.add(slug);
            }
            return true;
        });
        return List.copyOf(slugs);
    }

    /** Every repository of every workspace, in workspace order then Bitbucket's order. */
    public List<DiscoveredRepository> all() {
        List<DiscoveredRepository> repositories = new ArrayList<>();
        for (String workspace : workspaces()) {
            pages(http.resolve("/2.0/repositories/" + segment(workspace) + "?role=member&pagelen=100"),
                    repository -> {
                        repositories.add(repository(workspace, repository));
                        return true;
                    });
        }
        return repositories;
    }

    /**
     * The repository's branches, at most {@code cap}: {@code /2.0/repositories/{workspace}/{slug}/refs/branches?pagelen=100},
     * following {@code next} only on the API's origin (docs/bitbucket-api-notes.md §5). Cloud does not mark the main
     * branch on a branch, so {@link RepositoryBranches.Branch#isDefault()} is null.
     */
    public RepositoryBranches branches(String workspace, String slug, int cap) {
        if (cap <= 0) {
            throw new IllegalArgumentException("cap must be positive: " + cap);
        }
        List<RepositoryBranches.Branch> branches = new ArrayList<>();
        boolean truncated = pages(http.resolve("/2.0/repositories/" + segment(workspace) + "/" + segment(slug)
                + "/refs/branches?pagelen=100"), branch -> {
            branches.add(new RepositoryBranches.Branch(text(branch, "name"), text(branch.path("target"), "hash"), null));
            return branches.size() < cap;
        });
        return new RepositoryBranches(branches, truncated);
    }

    /**
     * Reads the pages from {@code first} on, giving {@code value} each value until it answers false; says whether values
     * were left unread then (on the page, or a {@code next} page).
     */
    private boolean pages(URI first, Predicate<JsonNode> value) {
        URI next = first;
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw new IllegalStateException("more than " + MAX_PAGES + " pages at " + first.getRawPath());
            }
            URI uri = next;
            JsonNode body = pacing.call(() -> http.get(uri).body());
            next = CloudNextLinks.next(body, uri, origin);
            for (Iterator<JsonNode> values = body.path("values").iterator(); values.hasNext(); ) {
                if (!value.test(values.next())) {
                    return values.hasNext() || next != null;
                }
            }
        }
        return false;
    }

    private static DiscoveredRepository repository(String workspace, JsonNode repository) {
        String fullName = text(repository, "full_name");
        String slug = text(repository, "slug") != null ? text(repository, "slug")
                : fullName != null && fullName.contains("/") ? fullName.substring(fullName.indexOf('/') + 1) : null;
        List<RepositoryRef.CloneUrl> clones = new ArrayList<>();
        repository.path("links").path("clone").forEach(link -> clones.add(new RepositoryRef.CloneUrl(text(link, "name"), text(link, "href"))));
        return new DiscoveredRepository(workspace, slug, text(repository, "name"), text(repository.path("mainbranch"), "name"),
                repository.path("is_private").asBoolean(false), text(repository.path("links").path("html"), "href"), clones);
    }
}
