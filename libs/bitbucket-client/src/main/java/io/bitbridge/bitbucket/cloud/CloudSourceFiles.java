package io.bitbridge.bitbucket.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.callguard.EndpointGuards;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;
import static io.bitbridge.bitbucket.BitbucketHttp.text;

/**
 * Bitbucket Cloud source: a branch's head, the files under a directory at a commit, a file's bytes, the paths two
 * commits differ in, and a commit of many files at once ({@code POST /src}, docs/bitbucket-api-notes.md §1).
 */
public final class CloudSourceFiles {
    private static final int MAX_PAGES = 200;

    private final BitbucketHttp http;

    public CloudSourceFiles(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    public CloudSourceFiles(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.http = new BitbucketHttp(endpoint.at(CloudClient.apiRoot(endpoint.apiBaseUrl())), guards);
    }

    /** One commit of many files: {@code parents} must be the branch's head, else Bitbucket answers 409. */
    public record CommitSpec(String branch, String parent, String message, String author, Map<String, byte[]> puts,
                             List<String> deletes) {
    }

    /** A file the diff between two commits touched; {@code deleted} when it is gone at the newer one. */
    public record ChangedPath(String path, boolean deleted) {
    }

    /** The commit hash at the tip of {@code branch}; empty when the branch (or repository) does not exist. */
    public Optional<String> branchHead(String workspace, String repo, String branch) {
        try {
            JsonNode ref = http.get(repoPath(workspace, repo) + "/refs/branches/" + segment(branch)).body();
            return Optional.ofNullable(text(ref.path("target"), "hash"));
        } catch (BitbucketApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every file under {@code directory} (no leading or trailing slash; empty = the root) at {@code commit}, full paths. */
    public List<String> filesUnder(String workspace, String repo, String commit, String directory) {
        List<String> files = new ArrayList<>();
        List<String> pending = new ArrayList<>(List.of(directory));
        while (!pending.isEmpty()) {
            String next = pending.remove(pending.size() - 1);
            String path = repoPath(workspace, repo) + "/src/" + segment(commit) + "/" + escapePath(next) + (next.isEmpty() ? "" : "/");
            List<JsonNode> entries;
            try {
                entries = CloudPages.all(http.resolve(path), uri -> http.get(uri).body(), MAX_PAGES);
            } catch (BitbucketApiException e) {
                if (e.status() == 404) {
                    continue;
                }
                throw e;
            }
            for (JsonNode entry : entries) {
                String entryPath = text(entry, "path");
                if ("commit_directory".equals(text(entry, "type"))) {
                    pending.add(entryPath);
                } else {
                    files.add(entryPath);
                }
            }
        }
        return files;
    }

    /** A file's bytes at {@code commit}; empty when there is no such file. */
    public Optional<byte[]> read(String workspace, String repo, String commit, String path) {
        try {
            return Optional.of(http.get(repoPath(workspace, repo) + "/src/" + segment(commit) + "/" + escapePath(path)).raw().body());
        } catch (BitbucketApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The paths {@code newer} changed since {@code older} (a plain two-commit diff, no merge base); since its first
     * parent when {@code older} is null (a new branch).
     */
    public List<ChangedPath> changedPaths(String workspace, String repo, String newer, String older) {
        String spec = older == null ? segment(newer) : segment(newer) + ".." + segment(older);
        String path = repoPath(workspace, repo) + "/diffstat/" + spec + "?topic=false&renames=false";
        List<ChangedPath> changes = new ArrayList<>();
        for (JsonNode stat : CloudPages.all(http.resolve(path), uri -> http.get(uri).body(), MAX_PAGES)) {
            String status = text(stat, "status");
            if ("removed".equals(status)) {
                changes.add(new ChangedPath(text(stat.path("old"), "path"), true));
            } else {
                changes.add(new ChangedPath(text(stat.path("new"), "path"), false));
            }
        }
        return changes;
    }

    /**
     * Creates one commit holding every put and delete; returns its hash. A 409 (the branch moved past
     * {@code parent}) surfaces as a {@link BitbucketApiException} with status 409: never retried here, the caller
     * recomputes from the new head.
     */
    public String commit(String workspace, String repo, CommitSpec spec) {
        MultipartForm form = new MultipartForm()
                .field("branch", spec.branch())
                .field("message", spec.message());
        if (spec.parent() != null) {
            form.field("parents", spec.parent());
        }
        if (spec.author() != null) {
            form.field("author", spec.author());
        }
        spec.puts().forEach(form::file);
        spec.deletes().forEach(path -> form.field("files", path));
        BitbucketHttp.Reply reply = http.post(repoPath(workspace, repo) + "/src", form.body());
        String location = reply.header("Location").orElseThrow(() ->
                new BitbucketApiException(reply.status(), "POST /src answered without a Location header"));
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String repoPath(String workspace, String repo) {
        return "/2.0/repositories/" + segment(workspace) + "/" + segment(repo);
    }

    private static String escapePath(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).map(BitbucketHttp::segment)
                .collect(Collectors.joining("/"));
    }
}
