package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.server.ServerModel.Caller;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP access tokens below {@code /rest/access-tokens/1.0} (or {@code latest}): {@code users/{slug}},
 * {@code projects/{key}} and {@code projects/{key}/repos/{slug}}; {@code PUT} creates (200 with the raw
 * token, the only time it is shown), {@code GET} lists or reads one, {@code DELETE .../{id}} revokes (204).
 * Tokens cannot create tokens (401), as on Data Center.
 */
final class ServerAccessTokenApi {

    private static final String VALIDATION = "com.atlassian.bitbucket.validation.ArgumentValidationException";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Token permission names and the repository-level power they give inside the token's scope. */
    private static final Map<String, ServerPermission> PERMISSIONS = Map.of(
            "REPO_READ", ServerPermission.REPO_READ, "REPO_WRITE", ServerPermission.REPO_WRITE,
            "REPO_ADMIN", ServerPermission.REPO_ADMIN, "PROJECT_READ", ServerPermission.REPO_READ,
            "PROJECT_WRITE", ServerPermission.REPO_WRITE, "PROJECT_ADMIN", ServerPermission.PROJECT_ADMIN);

    /** Where a request points: a user's tokens, or a project's, or a repository's. */
    private record Scope(String ownerSlug, ServerProject project, ServerRepository repository) {
    }

    private final ServerModel model;

    ServerAccessTokenApi(ServerModel model) {
        this.model = model;
    }

    /** {@code segments} are the decoded path segments after {@code rest/access-tokens/<version>}. */
    FakeResponse handle(FakeRequest request, List<String> segments, Caller caller) {
        if (caller.isAnonymous()) {
            return ServerRestApi.unauthorised();
        }
        int n = segments.size();
        Scope scope;
        List<String> rest;
        if (n >= 2 && segments.get(0).equals("users")) {
            Optional<ServerUser> user = model.user(segments.get(1));
            if (user.isEmpty()) {
                return ServerJson.error(404, null, "User " + segments.get(1) + " does not exist.",
                        "com.atlassian.bitbucket.user.NoSuchUserException");
            }
            scope = new Scope(user.get().slug(), null, null);
            rest = segments.subList(2, n);
        } else if (n >= 2 && segments.get(0).equals("projects")) {
            Optional<ServerProject> project = model.project(segments.get(1));
            if (project.isEmpty()) {
                return ServerJson.error(404, null, "Project " + segments.get(1) + " does not exist.",
                        "com.atlassian.bitbucket.project.NoSuchProjectException");
            }
            if (n >= 4 && segments.get(2).equals("repos")) {
                Optional<ServerRepository> repository = model.repository(project.get().key(), segments.get(3));
                if (repository.isEmpty()) {
                    return ServerJson.error(404, null, "Repository " + segments.get(3) + " does not exist.",
                            "com.atlassian.bitbucket.repository.NoSuchRepositoryException");
                }
                scope = new Scope(null, project.get(), repository.get());
                rest = segments.subList(4, n);
            } else {
                scope = new Scope(null, project.get(), null);
                rest = segments.subList(2, n);
            }
        } else {
            return ServerJson.error(404, null, "No REST resource at " + request.rawPath(), "com.sun.jersey.api.NotFoundException");
        }
        if (!mayManage(caller, scope)) {
            return ServerRestApi.forbidden("You are not permitted to manage these access tokens");
        }
        List<ServerAccessToken> tokens = model.tokens(scope.ownerSlug(),
                scope.project() == null ? null : scope.project().key(),
                scope.repository() == null ? null : scope.repository().slug());
        if (rest.isEmpty()) {
            return switch (request.method()) {
                case "GET" -> ServerRestApi.paged(request, tokens, ServerAccessTokenApi::describe);
                case "PUT" -> create(request, caller, scope);
                default -> ServerRestApi.methodNotAllowed(request.method());
            };
        }
        if (rest.size() == 1) {
            ServerAccessToken token = tokens.stream().filter(t -> t.id().equals(rest.get(0))).findFirst().orElse(null);
            if (token == null) {
                return ServerJson.error(404, null, "No access token with id " + rest.get(0) + ".",
                        "com.atlassian.bitbucket.auth.NoSuchAccessTokenException");
            }
            return switch (request.method()) {
                case "GET" -> FakeResponse.json(200, describe(token));
                case "DELETE" -> {
                    model.revokeToken(token);
                    yield FakeResponse.empty(204);
                }
                default -> ServerRestApi.methodNotAllowed(request.method());
            };
        }
        return ServerJson.error(404, null, "No REST resource at " + request.rawPath(), "com.sun.jersey.api.NotFoundException");
    }

    private boolean mayManage(Caller caller, Scope scope) {
        if (scope.repository() != null) {
            ServerPermission has = model.permissionOn(caller, scope.repository());
            return has != null && has.implies(ServerPermission.REPO_ADMIN);
        }
        if (scope.project() != null) {
            ServerPermission has = model.permissionOn(caller, scope.project());
            return has != null && has.implies(ServerPermission.PROJECT_ADMIN);
        }
        ServerPermission global = caller.user().globalPermission();
        return caller.user().slug().equals(scope.ownerSlug())
                || (global != null && global.implies(ServerPermission.SYS_ADMIN));
    }

    private FakeResponse create(FakeRequest request, Caller caller, Scope scope) {
        if (caller.token() != null) {
            return ServerRestApi.forbidden("Access tokens cannot be used to create access tokens");
        }
        JsonNode body = ServerRestApi.jsonObject(request);
        if (body == null) {
            return ServerJson.error(400, null, "The request body must be a JSON object.", VALIDATION);
        }
        String name = body.path("name").asText("");
        if (name.isBlank()) {
            return ServerJson.error(400, "name", "A token name is required.", VALIDATION);
        }
        Set<String> names = new LinkedHashSet<>(ServerRestApi.stringList(body.get("permissions")));
        if (names.isEmpty()) {
            return ServerJson.error(400, "permissions", "At least one permission is required.", VALIDATION);
        }
        ServerPermission granted = null;
        for (String permission : names) {
            ServerPermission level = PERMISSIONS.get(permission);
            if (level == null || (scope.repository() != null && !permission.startsWith("REPO_"))) {
                return ServerJson.error(400, "permissions", "'" + permission + "' is not a valid permission here.", VALIDATION);
            }
            granted = ServerPermission.max(granted, level);
        }
        Instant expiry = null;
        if (body.hasNonNull("expiryDays")) {
            int days = body.get("expiryDays").asInt(0);
            if (days < 1) {
                return ServerJson.error(400, "expiryDays", "expiryDays must be a positive number.", VALIDATION);
            }
            expiry = Instant.now().plus(Duration.ofDays(days));
        }
        String id = ServerAccessToken.newId();
        byte[] random = new byte[20];
        RANDOM.nextBytes(random);
        byte[] prefix = (id + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[prefix.length + random.length];
        System.arraycopy(prefix, 0, raw, 0, prefix.length);
        System.arraycopy(random, 0, raw, prefix.length, random.length);
        String secret = Base64.getEncoder().withoutPadding().encodeToString(raw);
        // Project and repository tokens act as the creator inside their scope (DC uses a bot user).
        String owner = scope.ownerSlug() != null ? scope.ownerSlug() : caller.user().slug();
        ServerAccessToken token = model.addToken(new ServerAccessToken(id, name, secret, owner, granted,
                scope.project() == null ? null : scope.project().key(),
                scope.repository() == null ? null : scope.repository().slug(), Instant.now(), expiry));
        ObjectNode created = describe(token);
        created.put("token", secret);
        return FakeResponse.json(200, created);
    }

    /** RestAccessToken: id, name, createdDate (the raw token is never listed). */
    private static ObjectNode describe(ServerAccessToken token) {
        return FakeJson.object()
                .put("createdDate", token.createdDate().toString())
                .put("id", token.id())
                .put("name", token.name());
    }
}
