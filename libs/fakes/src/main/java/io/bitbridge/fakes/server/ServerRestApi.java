package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.server.ServerModel.Caller;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The REST routes of {@link BitbucketServerFake} below {@code /rest/api/1.0} (or {@code latest}). The caller is
 * already authenticated (or anonymous); every route checks the permission it needs. Insufficient permission
 * answers 401, as Data Center does.
 */
final class ServerRestApi {

    private static final String NO_SUCH_REPOSITORY = "com.atlassian.bitbucket.repository.NoSuchRepositoryException";
    private static final String NO_SUCH_PROJECT = "com.atlassian.bitbucket.project.NoSuchProjectException";
    private static final String AUTHORISATION = "com.atlassian.bitbucket.AuthorisationException";
    private static final String VALIDATION = "com.atlassian.bitbucket.validation.ArgumentValidationException";
    private static final String BAD_REQUEST = "com.atlassian.bitbucket.rest.BadRequestException";

    private final BitbucketServerFake fake;
    private final ServerModel model;

    ServerRestApi(BitbucketServerFake fake) {
        this.fake = fake;
        this.model = fake.model();
    }

    /** {@code segments} are the decoded path segments after {@code rest/api/<version>}. */
    FakeResponse handle(FakeRequest request, List<String> segments, Caller caller) throws IOException, InterruptedException {
        String method = request.method();
        int n = segments.size();
        if (n == 1 && segments.get(0).equals("repos") && method.equals("GET")) {
            return listAllRepositories(request, caller);
        }
        if (n == 2 && segments.get(0).equals("users") && method.equals("GET")) {
            return getUser(segments.get(1), caller);
        }
        if (n >= 1 && segments.get(0).equals("projects")) {
            if (n == 1) {
                return method.equals("GET") ? listProjects(request, caller) : methodNotAllowed(method);
            }
            Optional<ServerProject> project = model.project(segments.get(1));
            if (project.isEmpty()) {
                return ServerJson.error(404, null, "Project " + segments.get(1) + " does not exist.", NO_SUCH_PROJECT);
            }
            if (n == 2 && method.equals("GET")) {
                return caller.isAnonymous() && !project.get().isPublic() ? unauthorised()
                        : FakeResponse.json(200, fake.json().project(project.get()));
            }
            if (n >= 3 && segments.get(2).equals("webhooks")) {
                ServerPermission has = model.permissionOn(caller, project.get());
                return fake.webhookApi().handle(request, segments.subList(3, n), caller,
                        model.projectWebhooks(project.get()), has != null && has.implies(ServerPermission.PROJECT_ADMIN));
            }
            if (n == 3 && segments.get(2).equals("repos")) {
                return switch (method) {
                    case "GET" -> listProjectRepositories(request, caller, project.get());
                    case "POST" -> createRepository(request, caller, project.get());
                    default -> methodNotAllowed(method);
                };
            }
            if (n >= 4 && segments.get(2).equals("repos")) {
                Optional<ServerRepository> repository = model.repository(project.get().key(), segments.get(3));
                if (repository.isEmpty()) {
                    return ServerJson.error(404, null, "Repository " + project.get().key() + "/" + segments.get(3)
                            + " does not exist.", NO_SUCH_REPOSITORY);
                }
                if (model.permissionOn(caller, repository.get()) == null) {
                    return unauthorised();
                }
                return repositoryRoute(request, segments.subList(4, n), caller, repository.get());
            }
        }
        return ServerJson.error(404, null, "No REST resource at " + request.rawPath(), "com.sun.jersey.api.NotFoundException");
    }

    private FakeResponse repositoryRoute(FakeRequest request, List<String> rest, Caller caller, ServerRepository repository)
            throws IOException, InterruptedException {
        String method = request.method();
        String first = rest.isEmpty() ? "" : rest.get(0);
        int n = rest.size();
        switch (first) {
            case "" -> {
                return switch (method) {
                    case "GET" -> FakeResponse.json(200, fake.json().repository(repository));
                    case "PUT" -> updateRepository(request, caller, repository);
                    case "DELETE" -> deleteRepository(caller, repository);
                    default -> methodNotAllowed(method);
                };
            }
            case "branches" -> {
                if (n == 1) {
                    return switch (method) {
                        case "GET" -> listBranches(request, repository);
                        case "POST" -> createBranch(request, caller, repository);
                        default -> methodNotAllowed(method);
                    };
                }
                if (n == 2 && rest.get(1).equals("default")) {
                    return switch (method) {
                        case "GET" -> defaultBranch(repository);
                        case "PUT" -> setDefaultBranch(request, caller, repository);
                        default -> methodNotAllowed(method);
                    };
                }
            }
            case "permissions" -> {
                if (n == 2 && rest.get(1).equals("groups")) {
                    return groupPermissions(request, caller, repository);
                }
            }
            case "commits" -> {
                if (n == 1 && method.equals("GET")) {
                    return commits(request, repository);
                }
                if (n == 2 && method.equals("GET")) {
                    return commit(rest.get(1), repository);
                }
                if (n == 3 && rest.get(2).equals("builds")) {
                    return fake.buildStatusApi().handle(request, caller, repository, rest.get(1));
                }
                if (n == 3 && rest.get(2).equals("changes") && method.equals("GET")) {
                    return changes(request, repository, rest.get(1));
                }
            }
            case "changes" -> {
                if (n == 1 && method.equals("GET")) {
                    return changes(request, repository, request.query("until"));
                }
            }
            case "compare" -> {
                if (n == 2 && rest.get(1).equals("changes") && method.equals("GET")) {
                    return ServerCompareApi.changes(request, repository);
                }
            }
            case "raw" -> {
                if (n >= 2 && method.equals("GET")) {
                    return raw(request, repository, String.join("/", rest.subList(1, n)));
                }
            }
            case "webhooks" -> {
                return fake.webhookApi().handle(request, rest.subList(1, n), caller, repository.webhooks(),
                        may(caller, repository, ServerPermission.REPO_ADMIN));
            }
            default -> {
                // fall through to 404
            }
        }
        return ServerJson.error(404, null, "No REST resource at " + request.rawPath(), "com.sun.jersey.api.NotFoundException");
    }

    // ---- users, projects, repositories ------------------------------------------------------------------------

    private FakeResponse getUser(String slug, Caller caller) {
        if (caller.isAnonymous()) {
            return unauthorised();
        }
        return model.user(slug)
                .map(u -> FakeResponse.json(200, fake.json().user(u)))
                .orElseGet(() -> ServerJson.error(404, null, "User " + slug + " does not exist.",
                        "com.atlassian.bitbucket.user.NoSuchUserException"));
    }

    private FakeResponse listProjects(FakeRequest request, Caller caller) {
        String name = request.query("name");
        List<ServerProject> visible = model.projects().stream()
                .filter(p -> !p.isPersonal())
                .filter(p -> name == null || p.name().toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT)))
                .filter(p -> !caller.isAnonymous() || p.isPublic())
                .toList();
        return paged(request, visible, p -> fake.json().project(p));
    }

    private FakeResponse listAllRepositories(FakeRequest request, Caller caller) {
        String visibility = request.query("visibility");
        if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
            return ServerJson.error(400, "visibility", "visibility must be 'public' or 'private'.", BAD_REQUEST);
        }
        ServerPermission required = ServerPermission.REPO_READ;
        String permission = request.query("permission");
        if (permission != null) {
            Optional<ServerPermission> parsed = ServerPermission.repositoryLevel(permission);
            if (parsed.isEmpty()) {
                return ServerJson.error(400, "permission", "Invalid permission " + permission, BAD_REQUEST);
            }
            if (caller.isAnonymous()) {
                // Anonymous callers asking for an explicit permission always get nothing [dc-spec].
                return paged(request, List.<ServerRepository>of(), r -> fake.json().repository(r));
            }
            required = parsed.get();
        }
        String name = lower(request.query("name"));
        String projectName = lower(request.query("projectname"));
        String projectKey = request.query("projectkey");
        ServerPermission needed = required;
        List<ServerRepository> matching = model.repositories().stream()
                .filter(r -> {
                    ServerPermission has = model.permissionOn(caller, r);
                    return has != null && has.implies(needed);
                })
                .filter(r -> name == null || r.name().toLowerCase(Locale.ROOT).contains(name))
                .filter(r -> projectName == null || r.project().name().toLowerCase(Locale.ROOT).contains(projectName))
                .filter(r -> projectKey == null || r.project().key().equalsIgnoreCase(projectKey))
                .filter(r -> visibility == null || r.isPublic() == visibility.equals("public"))
                .toList();
        return paged(request, matching, r -> fake.json().repository(r));
    }

    private FakeResponse listProjectRepositories(FakeRequest request, Caller caller, ServerProject project) {
        List<ServerRepository> visible = model.repositories().stream()
                .filter(r -> r.project().equals(project))
                .filter(r -> model.permissionOn(caller, r) != null)
                .toList();
        if (visible.isEmpty() && caller.isAnonymous() && !project.isPublic()) {
            return unauthorised();
        }
        return paged(request, visible, r -> fake.json().repository(r));
    }

    private FakeResponse createRepository(FakeRequest request, Caller caller, ServerProject project) {
        ServerPermission has = model.permissionOn(caller, project);
        if (has == null || !has.implies(ServerPermission.PROJECT_ADMIN)) {
            return forbidden("You are not permitted to create repositories in project " + project.key());
        }
        JsonNode body = jsonObject(request);
        if (body == null) {
            return ServerJson.error(400, null, "The request body must be a JSON object.", BAD_REQUEST);
        }
        String scmId = body.path("scmId").asText("git");
        if (!scmId.equals("git")) {
            return ServerJson.error(400, "scmId", "scmId '" + scmId + "' is not supported; use 'git'.", VALIDATION);
        }
        String name = body.path("name").isTextual() ? body.path("name").asText() : null;
        String problem = ServerModel.nameProblem(name);
        if (problem != null) {
            return ServerJson.error(400, "name", problem, VALIDATION);
        }
        try {
            ServerRepository created = model.createRepository(project, name,
                    body.path("description").isTextual() ? body.path("description").asText() : null,
                    body.path("public").asBoolean(false),
                    body.path("defaultBranch").isTextual() ? body.path("defaultBranch").asText() : null);
            return FakeResponse.json(201, fake.json().repository(created));
        } catch (IllegalStateException taken) {
            return ServerJson.error(409, "name", taken.getMessage(),
                    "com.atlassian.bitbucket.repository.DuplicateRepositoryNameException");
        }
    }

    /** flux {@code --reconcile}: name (the slug follows), description, visibility and default branch; 201 as [dc-spec]. */
    private FakeResponse updateRepository(FakeRequest request, Caller caller, ServerRepository repository) {
        if (!may(caller, repository, ServerPermission.REPO_ADMIN)) {
            return forbidden("You are not permitted to update this repository");
        }
        JsonNode body = jsonObject(request);
        if (body == null) {
            return ServerJson.error(400, null, "The request body must be a JSON object.", BAD_REQUEST);
        }
        if (body.path("name").isTextual() && !body.path("name").asText().equals(repository.name())) {
            try {
                model.renameRepository(repository, body.path("name").asText());
            } catch (IllegalArgumentException invalid) {
                return ServerJson.error(400, "name", invalid.getMessage(), VALIDATION);
            } catch (IllegalStateException taken) {
                return ServerJson.error(409, "name", taken.getMessage(),
                        "com.atlassian.bitbucket.repository.DuplicateRepositoryNameException");
            }
        }
        if (body.has("description")) {
            repository.describe(body.path("description").isNull() ? null : body.path("description").asText());
        }
        if (body.path("public").isBoolean()) {
            repository.makePublic(body.path("public").asBoolean());
        }
        if (body.path("defaultBranch").isTextual() && !body.path("defaultBranch").asText().isBlank()) {
            String branch = body.path("defaultBranch").asText();
            repository.setDefaultBranch(branch.startsWith(Constants.R_HEADS) ? branch.substring(Constants.R_HEADS.length()) : branch);
        }
        return FakeResponse.json(201, fake.json().repository(repository));
    }

    private FakeResponse deleteRepository(Caller caller, ServerRepository repository) {
        ServerPermission has = model.permissionOn(caller, repository);
        if (has == null || !has.implies(ServerPermission.REPO_ADMIN)) {
            return forbidden("You are not permitted to delete this repository");
        }
        model.deleteRepository(repository);
        // DC schedules the deletion and answers 202 Accepted.
        return FakeResponse.json(202, FakeJson.object().put("context", (String) null)
                .put("message", "Repository scheduled for deletion.").put("exceptionName", (String) null));
    }

    // ---- branches -------------------------------------------------------------------------------------

    private FakeResponse listBranches(FakeRequest request, ServerRepository repository) throws IOException {
        String defaultRef = Constants.R_HEADS + repository.defaultBranch();
        String filter = lower(request.query("filterText"));
        List<Ref> branches = new ArrayList<>(ServerGit.refs(repository.git(), Constants.R_HEADS));
        branches.removeIf(r -> filter != null && !r.getName().toLowerCase(Locale.ROOT).contains(filter));
        branches.sort(Comparator.comparing(Ref::getName));
        return paged(request, branches, r -> ServerJson.branch(r, r.getName().equals(defaultRef)));
    }

    private FakeResponse defaultBranch(ServerRepository repository) throws IOException {
        Ref ref = repository.git().exactRef(Constants.R_HEADS + repository.defaultBranch());
        if (ref == null) {
            // An empty repository has a configured default branch but no ref yet: 204, as in [dc-spec].
            return FakeResponse.empty(204);
        }
        return FakeResponse.json(200, ServerJson.branch(ref, true));
    }

    private FakeResponse setDefaultBranch(FakeRequest request, Caller caller, ServerRepository repository) {
        if (!may(caller, repository, ServerPermission.REPO_ADMIN)) {
            return forbidden("You are not permitted to change the default branch");
        }
        String id = jsonText(request, "id");
        if (id == null || id.isBlank()) {
            return ServerJson.error(400, "id", "A branch id is required.", VALIDATION);
        }
        String branch = id.startsWith(Constants.R_HEADS) ? id.substring(Constants.R_HEADS.length()) : id;
        repository.setDefaultBranch(branch);
        return FakeResponse.empty(204);
    }

    private FakeResponse createBranch(FakeRequest request, Caller caller, ServerRepository repository) throws IOException {
        if (!may(caller, repository, ServerPermission.REPO_WRITE)) {
            return forbidden("You are not permitted to create branches");
        }
        String name = jsonText(request, "name");
        String startPoint = jsonText(request, "startPoint");
        if (name == null || name.isBlank()) {
            return ServerJson.error(400, "name", "A branch name is required.", VALIDATION);
        }
        String refName = name.startsWith(Constants.R_HEADS) ? name : Constants.R_HEADS + name;
        if (!org.eclipse.jgit.lib.Repository.isValidRefName(refName)) {
            return ServerJson.error(400, "name", "'" + name + "' is an invalid branch name.", VALIDATION);
        }
        if (repository.git().exactRef(refName) != null) {
            return ServerJson.error(409, "name", "Branch '" + name + "' already exists in repository '"
                    + repository.slug() + "'.", "com.atlassian.bitbucket.repository.DuplicateRefException");
        }
        ObjectId start = ServerGit.resolve(repository.git(), startPoint);
        if (start == null) {
            return ServerJson.error(400, "startPoint", "Start point '" + startPoint + "' does not exist.", VALIDATION);
        }
        ServerGit.RefChange change = ServerGit.moveRef(repository.git(), refName, null, start);
        fake.refsChanged(caller.user(), repository, List.of(change));
        Ref ref = repository.git().exactRef(refName);
        return FakeResponse.json(200, ServerJson.branch(ref,
                refName.equals(Constants.R_HEADS + repository.defaultBranch())));
    }

    // ---- group permissions ----------------------------------------------------------------------------

    private FakeResponse groupPermissions(FakeRequest request, Caller caller, ServerRepository repository) {
        if (!may(caller, repository, ServerPermission.REPO_ADMIN)) {
            return forbidden("You are not permitted to manage permissions of this repository");
        }
        switch (request.method()) {
            case "GET" -> {
                String filter = lower(request.query("filter"));
                List<Map.Entry<String, ServerPermission>> grants = repository.groupPermissions().entrySet().stream()
                        .filter(e -> filter == null || e.getKey().toLowerCase(Locale.ROOT).contains(filter))
                        .toList();
                return paged(request, grants, e -> {
                    ObjectNode node = FakeJson.object();
                    node.putObject("group").put("name", e.getKey());
                    node.put("permission", e.getValue().name());
                    return node;
                });
            }
            case "PUT" -> {
                List<String> names = request.queryAll("name");
                Optional<ServerPermission> permission = ServerPermission.repositoryLevel(request.query("permission"));
                if (permission.isEmpty()) {
                    return ServerJson.error(400, "permission", "Invalid permission: " + request.query("permission")
                            + ". Use REPO_READ, REPO_WRITE or REPO_ADMIN.", BAD_REQUEST);
                }
                if (names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
                    return ServerJson.error(400, "name", "At least one group name is required.", BAD_REQUEST);
                }
                names.forEach(g -> repository.grantGroup(g, permission.get()));
                return FakeResponse.empty(204);
            }
            case "DELETE" -> {
                String name = request.query("name");
                if (name == null || name.isBlank()) {
                    return ServerJson.error(400, "name", "A group name is required.", BAD_REQUEST);
                }
                repository.revokeGroup(name);
                return FakeResponse.empty(204);
            }
            default -> {
                return methodNotAllowed(request.method());
            }
        }
    }

    // ---- history ----------------------------------------------------------------------------------------

    private FakeResponse commits(FakeRequest request, ServerRepository repository) throws IOException {
        String untilParam = request.query("until");
        String sinceParam = request.query("since");
        ObjectId until;
        if (untilParam == null || untilParam.isBlank()) {
            until = ServerGit.resolve(repository.git(), Constants.R_HEADS + repository.defaultBranch());
            if (until == null) {
                return paged(request, List.<RevCommit>of(), fake.json()::commit);
            }
        } else {
            until = ServerGit.resolve(repository.git(), untilParam);
            if (until == null) {
                return noSuchCommit("until", untilParam);
            }
        }
        ObjectId since = null;
        if (sinceParam != null && !sinceParam.isBlank()) {
            since = ServerGit.resolve(repository.git(), sinceParam);
            if (since == null) {
                return noSuchCommit("since", sinceParam);
            }
        }
        String merges = request.query("merges");
        if (merges != null && !List.of("include", "exclude", "only").contains(merges)) {
            return ServerJson.error(400, "merges", "merges must be include, exclude or only.", BAD_REQUEST);
        }
        return paged(request, ServerGit.history(repository.git(), until, since, request.query("path"), merges),
                fake.json()::commit);
    }

    private FakeResponse commit(String commitId, ServerRepository repository) throws IOException {
        ObjectId id = ServerGit.resolve(repository.git(), commitId);
        if (id == null) {
            return ServerJson.error(404, null, "Commit '" + commitId + "' does not exist in repository '"
                    + repository.slug() + "'.", "com.atlassian.bitbucket.commit.NoSuchCommitException");
        }
        return FakeResponse.json(200, fake.json().commit(ServerGit.commit(repository.git(), id)));
    }

    /** The file at {@code ?at=} (default branch when absent), as raw bytes. */
    private FakeResponse raw(FakeRequest request, ServerRepository repository, String path) throws IOException {
        String at = request.query("at");
        ObjectId commit = ServerGit.resolve(repository.git(), at == null || at.isBlank()
                ? Constants.R_HEADS + repository.defaultBranch() : at);
        if (commit == null) {
            return noSuchCommit("at", at == null ? repository.defaultBranch() : at);
        }
        byte[] content = ServerGit.fileAt(repository.git(), commit, path);
        if (content == null) {
            return ServerJson.error(404, "path", "The path \"" + path + "\" does not exist at revision \""
                    + commit.name() + "\"", "com.atlassian.bitbucket.content.NoSuchPathException");
        }
        return FakeResponse.bytes(200, "text/plain;charset=UTF-8", content);
    }

    private FakeResponse changes(FakeRequest request, ServerRepository repository, String untilParam) throws IOException {
        if (untilParam == null || untilParam.isBlank()) {
            return ServerJson.error(400, "until", "The 'until' parameter is required.", BAD_REQUEST);
        }
        ObjectId until = ServerGit.resolve(repository.git(), untilParam);
        if (until == null) {
            return noSuchCommit("until", untilParam);
        }
        String sinceParam = request.query("since");
        ObjectId since = null;
        if (sinceParam != null && !sinceParam.isBlank()) {
            since = ServerGit.resolve(repository.git(), sinceParam);
            if (since == null) {
                return noSuchCommit("since", sinceParam);
            }
        }
        List<DiffEntry> entries = ServerGit.changes(repository.git(), until, since);
        ObjectNode page = pageNode(request, entries, ServerJson::change);
        page.put("fromHash", since != null ? since.name() : null).put("toHash", until.name());
        page.putObject("properties").put("changeScope", "ALL");
        return FakeResponse.json(200, page);
    }

    private static FakeResponse noSuchCommit(String parameter, String value) {
        return ServerJson.error(400, parameter, "Commit '" + value + "' does not exist in this repository.",
                "com.atlassian.bitbucket.commit.NoSuchCommitException");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    boolean may(Caller caller, ServerRepository repository, ServerPermission needed) {
        ServerPermission has = model.permissionOn(caller, repository);
        return has != null && has.implies(needed);
    }

    static FakeResponse unauthorised() {
        return ServerJson.error(401, null, "You are not permitted to access this resource", AUTHORISATION);
    }

    /** Data Center answers 401 (not 403) when an authenticated user lacks a permission. */
    static FakeResponse forbidden(String message) {
        return ServerJson.error(401, null, message, AUTHORISATION);
    }

    static FakeResponse methodNotAllowed(String method) {
        return ServerJson.error(405, null, "Method " + method + " is not supported here.",
                "com.atlassian.bitbucket.rest.MethodNotAllowedException");
    }

    /** The request body when it is a JSON object, else null (empty, malformed or another JSON type). */
    static JsonNode jsonObject(FakeRequest request) {
        if (request.body().length == 0) {
            return null;
        }
        try {
            JsonNode node = request.json();
            return node != null && node.isObject() ? node : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    static String jsonText(FakeRequest request, String field) {
        try {
            JsonNode node = request.json().path(field);
            return node.isTextual() ? node.asText() : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String lower(String value) {
        return value == null || value.isBlank() ? null : value.toLowerCase(Locale.ROOT);
    }

    static <T> FakeResponse paged(FakeRequest request, List<T> all, java.util.function.Function<T, JsonNode> render) {
        return FakeResponse.json(200, pageNode(request, all, render));
    }

    static <T> ObjectNode pageNode(FakeRequest request, List<T> all, java.util.function.Function<T, JsonNode> render) {
        return ServerJson.page(all, intParam(request, "start", 0), intParam(request, "limit", 25), render);
    }

    private static int intParam(FakeRequest request, String name, int fallback) {
        String value = request.query(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static URI uri(String value) {
        try {
            URI uri = URI.create(value);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    static List<String> stringList(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node instanceof ArrayNode array) {
            array.forEach(e -> out.add(e.asText()));
        }
        return out;
    }
}
