package io.bitbridge.bitbucket.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.bitbucket.CommitListing;
import io.bitbridge.bitbucket.RequestPacing;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.events.Commit;
import io.bitbridge.events.Person;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;
import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * A Bitbucket Server / Data Center repository's history (docs/bitbucket-api-notes.md §9): commits between two
 * revisions ({@code /commits?since=&until=}, paged with {@code start}/{@code limit}), the files one revision changes
 * against another ({@code /compare/changes?from=&to=}) and the default branch's head.
 */
public final class ServerHistory {
    /** Data Center's usual hard page cap: fewer, larger pages. */
    private static final int PAGE_LIMIT = 1000;
    private static final int MAX_CHANGE_PAGES = 20;

    private final BitbucketHttp http;
    private final RequestPacing pacing;

    /** Every request goes through {@code pacing} (budget, rate limits), then {@code guards} (timeouts, retries, breaker). */
    public ServerHistory(BitbucketEndpoint endpoint, EndpointGuards guards, RequestPacing pacing) {
        this.pacing = pacing;
        this.http = new BitbucketHttp(endpoint, guards);
    }

    /**
     * The commits reachable from {@code until} and not from {@code since} (null: the whole history), newest first, at
     * most {@code cap} (then {@link CommitListing#complete()} is false).
     */
    public CommitListing commits(String project, String slug, String since, String until, int cap) {
        List<Commit> commits = new ArrayList<>();
        int limit = Math.min(PAGE_LIMIT, cap + 1);
        int start = 0;
        while (commits.size() <= cap) {
            String query = "/commits?until=" + segment(until) + (since == null ? "" : "&since=" + segment(since))
                    + "&start=" + start + "&limit=" + limit;
            JsonNode page = get(repository(project, slug) + query);
            page.path("values").forEach(value -> commits.add(commit(value)));
            if (page.path("isLastPage").asBoolean(true) || !page.hasNonNull("nextPageStart")) {
                break;
            }
            int next = page.get("nextPageStart").asInt();
            if (next <= start) {
                throw new IllegalStateException("nextPageStart " + next + " does not move past " + start);
            }
            start = next;
        }
        boolean complete = commits.size() <= cap;
        return new CommitListing(complete ? commits : commits.subList(0, cap), complete);
    }

    /** The paths {@code from} changes against {@code to} (their merge base, as a pull request shows it; both sides of a move), sorted. */
    public List<String> changedPaths(String project, String slug, String from, String to) {
        TreeSet<String> paths = new TreeSet<>();
        String base = repository(project, slug) + "/compare/changes?from=" + segment(from) + "&to=" + segment(to)
                + "&limit=" + PAGE_LIMIT;
        for (JsonNode change : ServerPages.all(start -> get(base + "&start=" + start), MAX_CHANGE_PAGES)) {
            addPath(paths, change.path("path"));
            addPath(paths, change.path("srcPath"));
        }
        return List.copyOf(paths);
    }

    /** The default branch's id ({@code refs/heads/...}) and head commit, or null when the repository has none yet. */
    public Branch defaultBranch(String project, String slug) {
        JsonNode branch = get(repository(project, slug) + "/branches/default");
        String id = text(branch, "id");
        return id == null ? null : new Branch(id, text(branch, "latestCommit"));
    }

    public record Branch(String id, String latestCommit) {
    }

    private static void addPath(TreeSet<String> paths, JsonNode path) {
        String value = text(path, "toString");
        if (value != null) {
            paths.add(value);
        }
    }

    private static String repository(String project, String slug) {
        return "/rest/api/1.0/projects/" + segment(project) + "/repos/" + segment(slug);
    }

    /** A commit as {@code /commits} lists it: id, message, author, author time (epoch ms), parents. */
    static Commit commit(JsonNode commit) {
        List<String> parents = new ArrayList<>();
        commit.path("parents").forEach(parent -> parents.add(text(parent, "id")));
        JsonNode author = commit.path("author");
        JsonNode time = commit.path("authorTimestamp");
        return new Commit(text(commit, "id"), text(commit, "message"),
                new Person(text(author, "displayName"), text(author, "name"), text(author, "emailAddress"), text(author, "id"), null),
                time.isNumber() ? Instant.ofEpochMilli(time.asLong()) : null, parents, List.of());
    }

    private JsonNode get(String path) {
        return pacing.call(() -> http.get(path).body());
    }
}
