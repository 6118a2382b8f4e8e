package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.bitbridge.fakes.cloud.CloudErrors.badRequest;
import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.notAllowed;
import static io.bitbridge.fakes.cloud.CloudErrors.notFound;

/**
 * {@code /2.0/repositories/{workspace}/{repo_slug}/commits[/{revision}]} (history, GET or POST with a form) and
 * {@code .../commit/{hash}[/statuses[/build[/{key}]]]} (one commit and its build statuses).
 */
final class CloudCommitApi {
    private static final Set<String> STATUS_STATES = Set.of("INPROGRESS", "SUCCESSFUL", "FAILED", "STOPPED");

    private final CloudState state;
    private final String base;

    CloudCommitApi(CloudState state, String base) {
        this.state = state;
        this.base = base;
    }

    FakeResponse commits(FakeRequest request, List<String> tail, Repo repo) throws IOException {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            return notAllowed();
        }
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>(request.queryParameters());
        if (request.method().equals("POST") && request.body().length > 0) {
            // The POST form exists for long include/exclude lists; it never creates commits.
            request.form().fields().forEach(f -> parameters.computeIfAbsent(f.name(), n -> new ArrayList<>())
                    .add(f.text()));
        }
        List<RevCommit> include = new ArrayList<>();
        List<String> includeNames = new ArrayList<>(parameters.getOrDefault("include", List.of()));
        if (!tail.isEmpty()) {
            includeNames.add(0, String.join("/", tail));
        }
        for (String name : includeNames) {
            include.add(resolveOr404(repo, name));
        }
        if (includeNames.isEmpty()) {
            for (Ref ref : repo.git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                include.add(CloudGit.parse(repo.git, ref.getObjectId()));
            }
        }
        List<RevCommit> exclude = new ArrayList<>();
        for (String name : parameters.getOrDefault("exclude", List.of())) {
            exclude.add(resolveOr404(repo, name));
        }
        int pagelen = CloudPaging.pagelen(request, CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN);
        String startAt = first(parameters, "page");
        String path = first(parameters, "path");
        List<RevCommit> found = CloudGit.log(repo.git, include, exclude, path, startAt, pagelen + 1);
        ObjectNode page = FakeJson.object();
        ArrayNode values = page.putArray("values");
        found.stream().limit(pagelen).forEach(c -> values.add(state.json.commit(repo, c, true)));
        page.put("pagelen", pagelen);
        if (found.size() > pagelen) {
            page.put("next", CloudPaging.url(request, base, "page", found.get(pagelen).name()));
        }
        return FakeResponse.json(200, page);
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The commit a hash, branch or tag names; 404 when there is none, 400 when a short hash is ambiguous. */
    static RevCommit resolveOr404(Repo repo, String revision) throws IOException {
        RevCommit commit;
        try {
            commit = CloudGit.resolve(repo.git, revision);
        } catch (org.eclipse.jgit.errors.AmbiguousObjectException ambiguous) {
            throw badRequest("The hash " + revision + " is ambiguous.");
        }
        if (commit == null) {
            throw notFound("Commit not found: " + revision);
        }
        return commit;
    }

    FakeResponse commit(FakeRequest request, List<String> tail, Repo repo) throws IOException {
        if (tail.isEmpty()) {
            return error(404, "Resource not found");
        }
        RevCommit commit = resolveOr404(repo, tail.get(0));
        List<String> rest = tail.subList(1, tail.size());
        String method = request.method();
        if (rest.isEmpty()) {
            return method.equals("GET") ? FakeResponse.json(200, state.json.commit(repo, commit, true)) : notAllowed();
        }
        if (!rest.get(0).equals("statuses")) {
            return error(404, "Resource not found");
        }
        Map<String, CloudModel.CommitStatus> statuses = repo.statuses.computeIfAbsent(commit.name(),
                h -> new java.util.LinkedHashMap<>());
        if (rest.size() == 1 && method.equals("GET")) {
            List<ObjectNode> items = statuses.values().stream()
                    .map(s -> state.json.status(repo, commit.name(), s)).toList();
            return FakeResponse.json(200, CloudPaging.page(request, base, items, CloudPaging.DEFAULT_PAGELEN,
                    CloudPaging.MAX_PAGELEN));
        }
        if (!rest.get(1).equals("build")) {
            return error(404, "Resource not found");
        }
        if (rest.size() == 2) {
            return method.equals("POST") ? postStatus(request, repo, commit, statuses) : notAllowed();
        }
        String key = String.join("/", rest.subList(2, rest.size()));
        CloudModel.CommitStatus status = statuses.get(key);
        if (status == null || !method.equals("GET")) {
            return status == null ? error(404, "Build status not found: " + key) : notAllowed();
        }
        return FakeResponse.json(200, state.json.status(repo, commit.name(), status));
    }

    private FakeResponse postStatus(FakeRequest request, Repo repo, RevCommit commit,
                                    Map<String, CloudModel.CommitStatus> statuses) {
        JsonNode body = request.json();
        String key = body.path("key").asText("");
        String statusState = body.path("state").asText("");
        String url = body.path("url").asText("");
        if (key.isBlank() || url.isBlank() || !STATUS_STATES.contains(statusState)) {
            return error(400, "key, url and state (one of " + STATUS_STATES + ") are required.");
        }
        CloudModel.CommitStatus status = statuses.computeIfAbsent(key, k -> new CloudModel.CommitStatus());
        boolean created = status.key == null;
        status.key = key;
        status.state = statusState;
        status.url = url;
        status.name = body.path("name").asText(key);
        status.description = body.path("description").asText("");
        status.refname = body.hasNonNull("refname") ? body.get("refname").asText() : null;
        status.updatedOn = state.now();
        if (created) {
            status.createdOn = status.updatedOn;
        }
        return FakeResponse.json(201, state.json.status(repo, commit.name(), status));
    }
}
