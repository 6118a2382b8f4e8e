package io.bitbridge.bitbucket.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.bitbucket.CommitListing;
import io.bitbridge.bitbucket.RequestPacing;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.events.Commit;
import io.bitbridge.events.Person;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;
import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * A Bitbucket Cloud repository's history as the REST API lists it: commits reachable from one revision and not from
 * others ({@code /commits/{revision}?exclude=}), the files changed between two revisions ({@code /diffstat/{spec}}),
 * the branch heads ({@code /refs/branches}) and the main branch. Paging follows {@code next} as given, and only on the
 * API's own origin.
 */
public final class CloudHistory {
    private static final int COMMITS_PAGELEN = 100;
    private static final int MAX_DIFFSTAT_PAGES = 20;
    private static final int MAX_BRANCH_PAGES = 50;

    private final BitbucketHttp http;
    private final RequestPacing pacing;
    private final String origin;

    /** Every request goes through {@code pacing} (budget, rate limits), then {@code guards} (timeouts, retries, breaker). */
    public CloudHistory(BitbucketEndpoint endpoint, EndpointGuards guards, RequestPacing pacing) {
        this.pacing = pacing;
        BitbucketEndpoint root = endpoint.at(CloudClient.apiRoot(endpoint.apiBaseUrl()));
        this.http = new BitbucketHttp(root, guards);
        this.origin = root.origin();
    }

    /**
     * The commits reachable from {@code revision} but from none of {@code exclude}, newest first, at most {@code cap}
     * (then {@link CommitListing#complete()} is false).
     */
    public CommitListing commits(String workspace, String slug, String revision, List<String> exclude, int cap) {
        StringBuilder path = new StringBuilder(repository(workspace, slug)).append("/commits/").append(segment(revision))
                .append("?pagelen=").append(COMMITS_PAGELEN);
        exclude.stream().sorted().forEach(hash -> path.append("&exclude=").append(segment(hash)));
        List<Commit> commits = new ArrayList<>();
        URI next = http.resolve(path.toString());
        while (next != null && commits.size() <= cap) {
            JsonNode page = get(next);
            page.path("values").forEach(value -> commits.add(commit(value)));
            next = nextPage(page, next);
        }
        boolean complete = commits.size() <= cap;
        return new CommitListing(complete ? commits : commits.subList(0, cap), complete);
    }

    /**
     * The paths changed between {@code base} and {@code target} (both sides of a rename), sorted. {@code topic} true
     * compares against their merge base (three-dot, what the branch added), false straight against {@code base}.
     * Cloud's spec is {@code target..base}: the first revision holds the changes (docs/bitbucket-api-notes.md §5).
     */
    public List<String> changedPaths(String workspace, String slug, String target, String base, boolean topic) {
        TreeSet<String> paths = new TreeSet<>();
        URI next = http.resolve(repository(workspace, slug) + "/diffstat/" + segment(target) + ".." + segment(base)
                + "?topic=" + topic);
        for (int page = 0; next != null; page++) {
            if (page == MAX_DIFFSTAT_PAGES) {
                throw new IllegalStateException("more than " + MAX_DIFFSTAT_PAGES + " diffstat pages");
            }
            JsonNode body = get(next);
            for (JsonNode entry : body.path("values")) {
                addPath(paths, entry.path("old"));
                addPath(paths, entry.path("new"));
            }
            next = nextPage(body, next);
        }
        return List.copyOf(paths);
    }

    /** Every branch name with the hash it points at. */
    public Map<String, String> branchHeads(String workspace, String slug) {
        Map<String, String> heads = new TreeMap<>();
        URI next = http.resolve(repository(workspace, slug) + "/refs/branches?pagelen=100");
        for (int page = 0; next != null; page++) {
            if (page == MAX_BRANCH_PAGES) {
                throw new IllegalStateException("more than " + MAX_BRANCH_PAGES + " branch pages");
            }
            JsonNode body = get(next);
            for (JsonNode branch : body.path("values")) {
                String hash = text(branch.path("target"), "hash");
                if (text(branch, "name") != null && hash != null) {
                    heads.put(text(branch, "name"), hash);
                }
            }
            next = nextPage(body, next);
        }
        return heads;
    }

    /** The repository's main branch name, or null when it has none yet. */
    public String mainBranch(String workspace, String slug) {
        return text(get(repository(workspace, slug)).path("mainbranch"), "name");
    }

    private URI nextPage(JsonNode page, URI current) {
        return CloudNextLinks.next(page, current, origin);
    }

    private static void addPath(TreeSet<String> paths, JsonNode file) {
        String path = text(file, "path");
        if (path != null) {
            paths.add(path);
        }
    }

    private static String repository(String workspace, String slug) {
        return "/2.0/repositories/" + segment(workspace) + "/" + segment(slug);
    }

    /** A commit as {@code /commits} lists it: hash, message, author ({@code raw} and the matched user), date, parents. */
    static Commit commit(JsonNode commit) {
        List<String> parents = new ArrayList<>();
        commit.path("parents").forEach(parent -> parents.add(text(parent, "hash")));
        return new Commit(text(commit, "hash"), text(commit, "message"), author(commit.path("author")), date(text(commit, "date")),
                parents, List.of());
    }

    private static Person author(JsonNode author) {
        String raw = text(author, "raw");
        JsonNode user = author.path("user");
        String displayName = text(user, "display_name");
        if (displayName == null && raw != null) {
            int angle = raw.indexOf('<');
            displayName = angle > 0 ? raw.substring(0, angle).strip() : raw.strip();
        }
        String email = raw != null && raw.indexOf('<') >= 0 && raw.endsWith(">") ? raw.substring(raw.indexOf('<') + 1, raw.length() - 1) : null;
        String username = text(user, "username") != null ? text(user, "username") : text(user, "nickname");
        return new Person(displayName, username, email, text(user, "account_id"), raw);
    }

    private static Instant date(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private JsonNode get(String path) {
        return pacing.call(() -> http.get(path).body());
    }

    private JsonNode get(URI uri) {
        return pacing.call(() -> http.get(uri).body());
    }
}
