package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.server.ServerModel.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Build statuses on commits, repository-scoped (Data Center 7.14+, docs/bitbucket-api-notes.md §11 and §13):
 * {@code POST|GET|DELETE /rest/api/{1.0|latest}/projects/{key}/repos/{slug}/commits/{commitId}/builds}. POST stores a
 * status (REPO_READ, 204; the same {@code key} on the same commit replaces it), GET {@code ?key=} reads one, DELETE
 * {@code ?key=} removes one (REPO_ADMIN). Every stored status is also listed at {@code GET /_sandbox/build-statuses}.
 */
final class ServerBuildStatusApi {

    static final Set<String> STATES = Set.of("SUCCESSFUL", "FAILED", "INPROGRESS", "CANCELLED", "UNKNOWN");
    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{40}");
    private static final String VALIDATION = "com.atlassian.bitbucket.validation.ArgumentValidationException";
    private static final String NO_SUCH_STATUS = "com.atlassian.bitbucket.build.status.NoSuchBuildStatusException";

    /** One stored status; {@code body} is what GET answers (RestBuildStatus). */
    record Stored(String projectKey, String repositorySlug, String commitId, String key, ObjectNode body) {
    }

    private final BitbucketServerFake fake;
    /** By repository id, commit and key, in the order they were first posted. */
    private final Map<String, Stored> statuses = new LinkedHashMap<>();

    ServerBuildStatusApi(BitbucketServerFake fake) {
        this.fake = fake;
    }

    FakeResponse handle(FakeRequest request, Caller caller, ServerRepository repository, String commitId) {
        return switch (request.method()) {
            case "POST" -> store(request, caller, repository, commitId);
            case "GET" -> get(request, repository, commitId);
            case "DELETE" -> delete(request, caller, repository, commitId);
            default -> ServerRestApi.methodNotAllowed(request.method());
        };
    }

    private FakeResponse store(FakeRequest request, Caller caller, ServerRepository repository, String commitId) {
        if (caller.isAnonymous() || !fake.rest().may(caller, repository, ServerPermission.REPO_READ)) {
            return ServerRestApi.forbidden("You are not permitted to add build statuses to this repository");
        }
        if (!COMMIT_ID.matcher(commitId).matches()) {
            return ServerJson.error(400, "commitId", "'" + commitId + "' is not a valid commit hash; use the full 40-character ID.",
                    VALIDATION);
        }
        JsonNode body = ServerRestApi.jsonObject(request);
        if (body == null) {
            return ServerJson.error(400, null, "The request body must be a JSON object.", VALIDATION);
        }
        String key = text(body, "key");
        String state = text(body, "state");
        String url = text(body, "url");
        String ref = text(body, "ref");
        String problem = key == null || key.isBlank() ? "key: a build key is required."
                : key.length() > 255 ? "key: must be at most 255 characters."
                : state == null || !STATES.contains(state) ? "state: must be one of SUCCESSFUL, FAILED, INPROGRESS, CANCELLED, UNKNOWN."
                : url == null || url.isBlank() ? "url: a build URL is required."
                : url.length() > 450 ? "url: must be at most 450 characters."
                : ref != null && (!ref.startsWith("refs/") || ref.length() > 1024) ? "ref: must be a fully qualified ref, e.g. refs/heads/main."
                : tooLong(body, "name", 255) ? "name: must be at most 255 characters."
                : tooLong(body, "buildNumber", 255) ? "buildNumber: must be at most 255 characters."
                : tooLong(body, "parent", 1024) ? "parent: must be at most 1024 characters."
                : null;
        if (problem != null) {
            int colon = problem.indexOf(':');
            return ServerJson.error(400, problem.substring(0, colon), problem.substring(colon + 2), VALIDATION);
        }
        long now = System.currentTimeMillis();
        String id = id(repository, commitId, key);
        synchronized (statuses) {
            Stored previous = statuses.get(id);
            ObjectNode stored = FakeJson.object();
            for (String field : List.of("key", "state", "url", "name", "description", "buildNumber", "parent", "ref")) {
                if (body.path(field).isTextual()) {
                    stored.put(field, body.path(field).asText());
                }
            }
            if (body.path("duration").canConvertToLong()) {
                stored.put("duration", body.path("duration").asLong());
            }
            if (body.path("testResults").isObject()) {
                stored.set("testResults", body.path("testResults").deepCopy());
            }
            stored.put("createdDate", previous == null ? now : previous.body().path("createdDate").asLong());
            stored.put("updatedDate", now);
            statuses.put(id, new Stored(repository.project().key(), repository.slug(), commitId.toLowerCase(java.util.Locale.ROOT),
                    key, stored));
        }
        return FakeResponse.empty(204);
    }

    private FakeResponse get(FakeRequest request, ServerRepository repository, String commitId) {
        String key = request.query("key");
        if (key == null || key.isBlank()) {
            return ServerJson.error(400, "key", "The 'key' parameter is required.", VALIDATION);
        }
        Stored stored;
        synchronized (statuses) {
            stored = statuses.get(id(repository, commitId, key));
        }
        return stored == null
                ? ServerJson.error(404, null, "No build status with key '" + key + "' exists for commit " + commitId + ".", NO_SUCH_STATUS)
                : FakeResponse.json(200, stored.body().deepCopy());
    }

    private FakeResponse delete(FakeRequest request, Caller caller, ServerRepository repository, String commitId) {
        if (!fake.rest().may(caller, repository, ServerPermission.REPO_ADMIN)) {
            return ServerRestApi.forbidden("You are not permitted to delete build statuses of this repository");
        }
        String key = request.query("key");
        if (key == null || key.isBlank()) {
            return ServerJson.error(400, "key", "The 'key' parameter is required.", VALIDATION);
        }
        synchronized (statuses) {
            statuses.remove(id(repository, commitId, key));
        }
        return FakeResponse.empty(204);
    }

    /** Every stored status, oldest first. */
    List<Stored> all() {
        synchronized (statuses) {
            return new ArrayList<>(statuses.values());
        }
    }

    FakeResponse sandbox(FakeRequest request) {
        return switch (request.method()) {
            case "GET" -> {
                ArrayNode list = FakeJson.array();
                fake.buildStatuses().forEach(list::add);
                yield FakeResponse.json(200, list);
            }
            case "DELETE" -> {
                synchronized (statuses) {
                    statuses.clear();
                }
                yield FakeResponse.empty(204);
            }
            default -> FakeResponse.text(405, "GET or DELETE");
        };
    }

    private static String id(ServerRepository repository, String commitId, String key) {
        return repository.id() + "\n" + commitId.toLowerCase(java.util.Locale.ROOT) + "\n" + key;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.path(field);
        return node.isTextual() ? node.asText() : null;
    }

    private static boolean tooLong(JsonNode body, String field, int max) {
        JsonNode node = body.path(field);
        return node.isTextual() && node.asText().length() > max;
    }
}
