package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.GitSmartHttp;
import io.bitbridge.fakes.cloud.CloudModel.Hook;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.ReceiveCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code /2.0} REST API and git smart HTTP of the Cloud fake. Called under the fake's lock. */
final class CloudApi {
    static final String RATE_LIMIT_BODY = "Rate limit for this resource has been exceeded";
    static final Set<String> HOOK_EVENTS = Set.of("issue:comment_created", "issue:created", "issue:updated",
            "pipeline:span_created", "project:updated", "pullrequest:approved",
            "pullrequest:changes_request_created", "pullrequest:changes_request_removed",
            "pullrequest:comment_created", "pullrequest:comment_deleted", "pullrequest:comment_reopened",
            "pullrequest:comment_resolved", "pullrequest:comment_updated", "pullrequest:created",
            "pullrequest:fulfilled", "pullrequest:push", "pullrequest:rejected", "pullrequest:unapproved",
            "pullrequest:updated", "repo:commit_comment_created", "repo:commit_status_created",
            "repo:commit_status_updated", "repo:created", "repo:deleted", "repo:fork", "repo:imported", "repo:push",
            "repo:transfer", "repo:updated");
    private static final Set<String> STATUS_STATES = Set.of("INPROGRESS", "SUCCESSFUL", "FAILED", "STOPPED");

    private final CloudState state;
    private final CloudAuthenticator auth;
    private final CloudSource source;
    private final String base;

    CloudApi(CloudState state, String base) {
        this.state = state;
        this.auth = new CloudAuthenticator(state);
        this.source = new CloudSource(state, this::pushed);
        this.base = base;
    }

    static FakeResponse error(int status, String message) {
        return FakeResponse.json(status, CloudJson.error(message));
    }

    static FakeResponse rateLimited() {
        return FakeResponse.bytes(429, "text/plain", RATE_LIMIT_BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Removed by CHANGE-2770 (docs/bitbucket-api-notes.md §5). */
    static FakeResponse gone() {
        ObjectNode body = FakeJson.object().put("type", "error");
        ObjectNode error = body.putObject("error").put("message", "CHANGE-2770 - Functionality has been deprecated")
                .put("detail", "Please read the changelog entry for more details.");
        error.putObject("data").put("announcement_url",
                "https://developer.atlassian.com/cloud/bitbucket/changelog/#CHANGE-2770");
        return FakeResponse.json(410, body);
    }

    private static FakeResponse scopeMissing(CloudPrincipal who, CloudScopes needed) {
        ObjectNode body = FakeJson.object().put("type", "error");
        ObjectNode error = body.putObject("error")
                .put("message", "Your credentials lack one or more required privilege scopes.");
        ObjectNode detail = error.putObject("detail");
        ArrayNode granted = detail.putArray("granted");
        who.scopes().forEach(granted::add);
        ArrayNode required = detail.putArray("required");
        who.required(needed).forEach(required::add);
        return FakeResponse.json(403, body);
    }

    private static final class Refusal extends RuntimeException {
        final transient FakeResponse response;

        Refusal(FakeResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    private static void require(CloudPrincipal who, CloudScopes needed) {
        if (!who.has(needed)) {
            throw new Refusal(scopeMissing(who, needed));
        }
    }

    private static void requirePermission(CloudPrincipal who, Repo repo, CloudPermission needed) {
        CloudPermission held = who.permissionOn(repo);
        if (held == null || !held.includes(needed)) {
            throw new Refusal(error(403, switch (needed) {
                case READ -> "You do not have access to this repository.";
                case WRITE -> "Access denied. You must have write or admin access.";
                case ADMIN -> "Access denied. You must have admin access.";
            }));
        }
    }

    private static Refusal notFound(String message) {
        return new Refusal(error(404, message));
    }

    private static Refusal badRequest(String message) {
        return new Refusal(error(400, message));
    }

    FakeResponse api(FakeRequest request) throws IOException {
        List<String> path = request.segments().subList(1, request.segments().size());
        if (state.rateLimited) {
            return rateLimited();
        }
        if (request.method().equals("GET") && (path.equals(List.of("repositories")) || path.equals(List.of("workspaces"))
                || path.equals(List.of("user", "permissions", "repositories"))
                || path.equals(List.of("user", "permissions", "workspaces")))) {
            return gone();
        }
        CloudAuthenticator.Outcome outcome = auth.api(request);
        if (outcome.failure() != null) {
            return outcome.failure();
        }
        if (outcome.principal() == null) {
            return error(401, "This API is only accessible with the following authentication types: "
                    + "session, password, apppassword, api_token, repo_access_token, workspace_access_token");
        }
        try {
            return route(request, path, outcome.principal());
        } catch (Refusal refusal) {
            return refusal.response;
        } catch (CloudPaging.BadPage | IllegalArgumentException | UncheckedIOException bad) {
            return error(400, bad.getMessage());
        }
    }

    private FakeResponse route(FakeRequest request, List<String> path, CloudPrincipal who) throws IOException {
        String method = request.method();
        if (path.equals(List.of("user")) && method.equals("GET")) {
            require(who, CloudScopes.ACCOUNT);
            return FakeResponse.json(200, state.json.account(who.user()));
        }
        if (path.equals(List.of("user", "workspaces")) && method.equals("GET")) {
            require(who, CloudScopes.WORKSPACES);
            return userWorkspaces(request, who);
        }
        if (path.size() == 2 && path.get(0).equals("repositories") && method.equals("GET")) {
            require(who, CloudScopes.REPO_READ);
            return listRepositories(request, who, path.get(1));
        }
        if (path.size() == 3 && path.get(0).equals("repositories") && method.equals("POST")) {
            require(who, CloudScopes.REPO_ADMIN);
            return createRepository(request, who, path.get(1), path.get(2));
        }
        if (path.size() >= 3 && path.get(0).equals("repositories")) {
            Workspace workspace = state.findWorkspace(path.get(1));
            Repo repo = workspace == null ? null : state.findRepo(workspace, path.get(2));
            return repository(request, path.subList(3, path.size()), who, repo, path.get(1) + "/" + path.get(2));
        }
        if (path.size() >= 3 && path.get(0).equals("workspaces") && path.get(2).equals("hooks")) {
            Workspace workspace = state.findWorkspace(path.get(1));
            return workspaceHooks(request, path.subList(3, path.size()), who, workspace);
        }
        return error(404, "Resource not found");
    }

    private FakeResponse userWorkspaces(FakeRequest request, CloudPrincipal who) {
        String administrator = request.query("administrator");
        List<ObjectNode> items = new ArrayList<>();
        for (Workspace workspace : state.workspaces.values()) {
            if (!who.reachesWorkspace(workspace)) {
                continue;
            }
            boolean admin = who.ownsWorkspace(workspace);
            if (administrator != null && Boolean.parseBoolean(administrator) != admin) {
                continue;
            }
            items.add(state.json.workspaceAccess(workspace, admin));
        }
        return FakeResponse.json(200, CloudPaging.page(request, base, items, CloudPaging.DEFAULT_PAGELEN,
                CloudPaging.MAX_PAGELEN));
    }

    /** {@code role}: member (any access), contributor (write or admin), admin, owner (workspace owner). */
    private FakeResponse listRepositories(FakeRequest request, CloudPrincipal who, String slug) throws IOException {
        Workspace workspace = state.findWorkspace(slug);
        if (workspace == null) {
            return error(404, "No workspace with identifier '" + slug + "'.");
        }
        String role = request.query("role");
        if (role != null && !Set.of("member", "contributor", "admin", "owner").contains(role)) {
            return error(400, "Invalid role: " + role);
        }
        List<ObjectNode> items = new ArrayList<>();
        for (Repo repo : workspace.repositories.values()) {
            CloudPermission held = who.permissionOn(repo);
            boolean matches = held != null && switch (role == null ? "member" : role) {
                case "contributor" -> held.includes(CloudPermission.WRITE);
                case "admin" -> held == CloudPermission.ADMIN;
                case "owner" -> who.ownsWorkspace(workspace);
                default -> true;
            };
            if (matches) {
                items.add(repositoryJson(repo));
            }
        }
        return FakeResponse.json(200, CloudPaging.page(request, base, items, CloudPaging.DEFAULT_PAGELEN,
                CloudPaging.MAX_PAGELEN));
    }

    /**
     * {@code POST /2.0/repositories/{ws}/{slug}}: creates an empty git repository (200, as the spec says).
     * Its main branch is {@code mainbranch.name} or {@code main}; the first commit creates it.
     */
    private FakeResponse createRepository(FakeRequest request, CloudPrincipal who, String workspaceSlug, String slug)
            throws IOException {
        Workspace workspace = state.findWorkspace(workspaceSlug);
        if (workspace == null) {
            return error(404, "No workspace with identifier '" + workspaceSlug + "'.");
        }
        if (!who.ownsWorkspace(workspace) && (who.token() != null || workspace.permissionOf(who.user()) == null)) {
            return error(403, "You do not have permission to create repositories in " + workspaceSlug + ".");
        }
        JsonNode body = request.body().length == 0 ? FakeJson.object() : request.json();
        if (!body.path("scm").asText("git").equals("git")) {
            return error(400, "Only git repositories are supported.");
        }
        if (!slug.matches("[a-z0-9][a-z0-9._-]*")) {
            return error(400, "Invalid repository slug: " + slug);
        }
        if (workspace.repositories.containsKey(slug)) {
            return error(400, "Repository with this Slug and Owner already exists.");
        }
        Repo repo = new Repo(workspace, slug, body.path("mainbranch").path("name").asText("main"), state.now());
        CloudGit.pointHead(repo.git, repo.mainBranch);
        workspace.repositories.put(slug, repo);
        return FakeResponse.json(200, repositoryJson(repo));
    }

    private ObjectNode repositoryJson(Repo repo) throws IOException {
        RevCommit main = CloudGit.tip(repo.git, repo.mainBranch);
        return state.json.repository(repo, state.ownerOf(repo.workspace), CloudGit.size(repo.git, main));
    }

    private FakeResponse repository(FakeRequest request, List<String> rest, CloudPrincipal who, Repo repo,
                                    String fullName) throws IOException {
        String method = request.method();
        String head = rest.isEmpty() ? "" : rest.get(0);
        CloudScopes needed = switch (head) {
            case "hooks" -> switch (method) {
                case "GET" -> CloudScopes.HOOK_READ;
                case "DELETE" -> CloudScopes.HOOK_DELETE;
                default -> CloudScopes.HOOK_WRITE;
            };
            case "src" -> method.equals("POST") ? CloudScopes.REPO_WRITE : CloudScopes.REPO_READ;
            case "refs" -> method.equals("POST") ? CloudScopes.BRANCH_CREATE
                    : method.equals("DELETE") ? CloudScopes.REPO_WRITE : CloudScopes.REPO_READ;
            case "commit" -> method.equals("POST") ? CloudScopes.STATUS_WRITE : CloudScopes.REPO_READ;
            default -> CloudScopes.REPO_READ;
        };
        require(who, needed);
        if (repo == null) {
            return error(404, "Repository " + fullName + " not found");
        }
        requirePermission(who, repo, CloudPermission.READ);
        List<String> tail = rest.size() > 1 ? rest.subList(1, rest.size()) : List.of();
        return switch (head) {
            case "" -> method.equals("GET") ? FakeResponse.json(200, repositoryJson(repo)) : notAllowed();
            case "refs" -> refs(request, tail, who, repo);
            case "commits" -> commits(request, tail, repo);
            case "commit" -> commit(request, tail, repo);
            case "diffstat" -> diffstat(request, tail, repo);
            case "src" -> {
                if (method.equals("POST") && tail.isEmpty()) {
                    requirePermission(who, repo, CloudPermission.WRITE);
                    yield source.create(request, who, repo);
                }
                yield method.equals("GET") ? source.read(request, tail, repo) : notAllowed();
            }
            case "hooks" -> {
                requirePermission(who, repo, CloudPermission.ADMIN);
                yield hooks(request, tail, repo.workspace, repo, repo.hooks);
            }
            default -> error(404, "Resource not found");
        };
    }

    private static FakeResponse notAllowed() {
        return error(405, "Method not allowed");
    }

    // ---- refs ----

    private FakeResponse refs(FakeRequest request, List<String> tail, CloudPrincipal who, Repo repo)
            throws IOException {
        String method = request.method();
        if (tail.isEmpty()) {
            if (!method.equals("GET")) {
                return notAllowed();
            }
            List<ObjectNode> all = new ArrayList<>(branches(repo));
            all.addAll(tags(repo));
            return FakeResponse.json(200, CloudPaging.page(request, base, filterAndSort(request, all),
                    CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
        }
        String kind = tail.get(0);
        String name = String.join("/", tail.subList(1, tail.size()));
        if (kind.equals("tags")) {
            if (!method.equals("GET")) {
                return notAllowed();
            }
            if (name.isEmpty()) {
                return FakeResponse.json(200, CloudPaging.page(request, base, filterAndSort(request, tags(repo)),
                        CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
            }
            Ref ref = repo.git.exactRef(Constants.R_TAGS + name);
            if (ref == null) {
                return error(404, "Tag \"" + name + "\" does not exist.");
            }
            return FakeResponse.json(200, tagJson(repo, ref));
        }
        if (!kind.equals("branches")) {
            return error(404, "Resource not found");
        }
        if (name.isEmpty()) {
            return switch (method) {
                case "GET" -> FakeResponse.json(200, CloudPaging.page(request, base,
                        filterAndSort(request, branches(repo)), CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
                case "POST" -> createBranch(request, who, repo);
                default -> notAllowed();
            };
        }
        RevCommit tip = CloudGit.tip(repo.git, name);
        if (tip == null) {
            return error(404, "Branch \"" + name + "\" does not exist.");
        }
        return switch (method) {
            case "GET" -> FakeResponse.json(200, state.json.branch(repo, name, tip, true));
            case "DELETE" -> {
                requirePermission(who, repo, CloudPermission.WRITE);
                if (name.equals(repo.mainBranch)) {
                    yield error(400, "Cannot delete the main branch.");
                }
                if (!CloudGit.moveRef(repo.git, Constants.R_HEADS + name, tip, null)) {
                    yield error(409, "The branch changed while it was being deleted.");
                }
                pushed(repo, who, List.of(new CloudEvents.RefMove(Constants.R_HEADS + name, tip, null)));
                yield FakeResponse.empty(204);
            }
            default -> notAllowed();
        };
    }

    private FakeResponse createBranch(FakeRequest request, CloudPrincipal who, Repo repo) throws IOException {
        requirePermission(who, repo, CloudPermission.WRITE);
        JsonNode body = request.json();
        String name = body.path("name").asText("");
        String hash = body.path("target").path("hash").asText("");
        if (name.isBlank() || hash.isBlank()) {
            return error(400, "Both name and target.hash are required.");
        }
        if (!org.eclipse.jgit.lib.Repository.isValidRefName(Constants.R_HEADS + name)) {
            return error(400, "Invalid branch name: " + name);
        }
        if (repo.git.exactRef(Constants.R_HEADS + name) != null) {
            return error(400, "Branch \"" + name + "\" already exists.");
        }
        RevCommit target;
        try {
            target = CloudGit.resolve(repo.git, hash);
        } catch (org.eclipse.jgit.errors.AmbiguousObjectException ambiguous) {
            return error(400, "The hash " + hash + " is ambiguous.");
        }
        if (target == null) {
            return error(400, "Unknown commit: " + hash);
        }
        CloudGit.moveRef(repo.git, Constants.R_HEADS + name, null, target);
        pushed(repo, who, List.of(new CloudEvents.RefMove(Constants.R_HEADS + name, null, target)));
        return FakeResponse.json(201, state.json.branch(repo, name, target, true))
                .header("Location", state.json.repoApi(repo) + "/refs/branches/" + name);
    }

    private List<ObjectNode> branches(Repo repo) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (Ref ref : repo.git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            String name = ref.getName().substring(Constants.R_HEADS.length());
            out.add(state.json.branch(repo, name, CloudGit.parse(repo.git, ref.getObjectId()), true));
        }
        return out;
    }

    private List<ObjectNode> tags(Repo repo) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (Ref ref : repo.git.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            out.add(tagJson(repo, ref));
        }
        return out;
    }

    private ObjectNode tagJson(Repo repo, Ref ref) throws IOException {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        RevCommit target = CloudGit.resolve(repo.git, ref.getObjectId().name());
        return state.json.tag(repo, name, target, CloudGit.annotatedTag(repo.git, ref.getObjectId()), true);
    }

    /** The BBQL forms clients use on refs: {@code name = "x"}, {@code name ~ "x"}; {@code sort=[-]name}. */
    private static List<ObjectNode> filterAndSort(FakeRequest request, List<ObjectNode> refs) {
        List<ObjectNode> out = new ArrayList<>(refs);
        String q = request.query("q");
        if (q != null && !q.isBlank()) {
            var matcher = java.util.regex.Pattern.compile("^\\s*name\\s*(=|~)\\s*\"([^\"]*)\"\\s*$").matcher(q);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Invalid field name or unsupported query: " + q);
            }
            String value = matcher.group(2);
            boolean exact = matcher.group(1).equals("=");
            out.removeIf(ref -> exact ? !ref.path("name").asText().equals(value)
                    : !ref.path("name").asText().toLowerCase(java.util.Locale.ROOT)
                    .contains(value.toLowerCase(java.util.Locale.ROOT)));
        }
        String sort = request.query("sort");
        Comparator<ObjectNode> byName = Comparator.comparing(ref -> ref.path("name").asText(), CloudApi::natural);
        if (sort == null || sort.equals("name")) {
            out.sort(byName);
        } else if (sort.equals("-name")) {
            out.sort(byName.reversed());
        } else {
            throw new IllegalArgumentException("Invalid sort field: " + sort);
        }
        return out;
    }

    /** Natural order: digit runs compare as numbers ({@code v2 < v10}). */
    static int natural(String a, String b) {
        var parts = java.util.regex.Pattern.compile("(\\d+|\\D+)");
        var ma = parts.matcher(a);
        var mb = parts.matcher(b);
        while (ma.find() && mb.find()) {
            String x = ma.group();
            String y = mb.group();
            int result = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))
                    ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)) : x.compareTo(y);
            if (result != 0) {
                return result;
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    // ---- commits ----

    private FakeResponse commits(FakeRequest request, List<String> tail, Repo repo) throws IOException {
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

    private RevCommit resolveOr404(Repo repo, String revision) throws IOException {
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

    private FakeResponse commit(FakeRequest request, List<String> tail, Repo repo) throws IOException {
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

    // ---- diffstat ----

    /**
     * One hash: against its first parent. {@code A..B}: the reverse of {@code git diff} — A holds the changes,
     * B is the base; with {@code topic} (the default) the base is their merge base (three-dot).
     */
    private FakeResponse diffstat(FakeRequest request, List<String> tail, Repo repo) throws IOException {
        if (!request.method().equals("GET") || tail.isEmpty()) {
            return tail.isEmpty() ? error(404, "Resource not found") : notAllowed();
        }
        String spec = String.join("/", tail);
        RevCommit target;
        RevCommit baseCommit;
        int dots = spec.indexOf("..");
        if (dots >= 0) {
            target = resolveOr404(repo, spec.substring(0, dots));
            RevCommit other = resolveOr404(repo, spec.substring(dots + 2));
            boolean topic = !"false".equalsIgnoreCase(request.query("topic"))
                    && !"false".equalsIgnoreCase(request.query("merge"));
            baseCommit = topic ? CloudGit.mergeBase(repo.git, target, other) : other;
        } else {
            target = resolveOr404(repo, spec);
            baseCommit = target.getParentCount() == 0 ? null : CloudGit.parse(repo.git, target.getParent(0));
        }
        boolean renames = !"false".equalsIgnoreCase(request.query("renames"));
        List<ObjectNode> items = new ArrayList<>();
        for (CloudGit.Stat stat : CloudGit.diffstat(repo.git, target, baseCommit, request.queryAll("path"), renames)) {
            items.add(diffstatItem(repo, stat, target, baseCommit));
        }
        return FakeResponse.json(200, CloudPaging.page(request, base, items, 500, 5000));
    }

    private ObjectNode diffstatItem(Repo repo, CloudGit.Stat stat, RevCommit target, RevCommit baseCommit) {
        DiffEntry entry = stat.entry();
        String status = switch (entry.getChangeType()) {
            case ADD, COPY -> "added";
            case DELETE -> "removed";
            case RENAME -> "renamed";
            case MODIFY -> "modified";
        };
        ObjectNode node = FakeJson.object().put("type", "diffstat").put("lines_added", stat.added())
                .put("lines_removed", stat.removed()).put("status", status);
        boolean hasOld = entry.getChangeType() != DiffEntry.ChangeType.ADD
                && entry.getChangeType() != DiffEntry.ChangeType.COPY;
        boolean hasNew = entry.getChangeType() != DiffEntry.ChangeType.DELETE;
        node.set("old", hasOld ? fileRef(repo, baseCommit, entry.getOldPath()) : null);
        node.set("new", hasNew ? fileRef(repo, target, entry.getNewPath()) : null);
        return node;
    }

    private ObjectNode fileRef(Repo repo, RevCommit commit, String path) {
        ObjectNode node = FakeJson.object().put("path", path).put("type", "commit_file").put("escaped_path", path);
        ObjectNode links = node.putObject("links");
        CloudJson.href(links, "self", state.json.repoApi(repo) + "/src/" + commit.name() + "/" + path);
        return node;
    }

    // ---- hooks ----

    private FakeResponse workspaceHooks(FakeRequest request, List<String> tail, CloudPrincipal who,
                                        Workspace workspace) {
        String method = request.method();
        require(who, switch (method) {
            case "GET" -> CloudScopes.HOOK_READ;
            case "DELETE" -> CloudScopes.HOOK_DELETE;
            default -> CloudScopes.HOOK_WRITE;
        });
        if (workspace == null) {
            return error(404, "Workspace not found");
        }
        if (!who.ownsWorkspace(workspace)) {
            return error(403, "Only workspace owners may manage workspace webhooks.");
        }
        return hooks(request, tail, workspace, null, workspace.hooks);
    }

    private FakeResponse hooks(FakeRequest request, List<String> tail, Workspace workspace, Repo repo,
                               Map<String, Hook> hooks) {
        String method = request.method();
        if (tail.isEmpty()) {
            return switch (method) {
                case "GET" -> FakeResponse.json(200, CloudPaging.page(request, base,
                        hooks.values().stream().map(state.json::hook).toList(), CloudPaging.DEFAULT_PAGELEN,
                        CloudPaging.MAX_PAGELEN));
                case "POST" -> {
                    Hook hook = new Hook(workspace, repo, state.now());
                    applyHookBody(hook, request.json(), true);
                    hooks.put(hook.uuid, hook);
                    String self = (repo == null ? state.json.api() + "/workspaces/" + workspace.slug
                            : state.json.repoApi(repo)) + "/hooks/" + CloudJson.encode(hook.uuid);
                    yield FakeResponse.json(201, state.json.hook(hook)).header("Location", self);
                }
                default -> notAllowed();
            };
        }
        String uid = tail.get(0);
        Hook hook = hooks.get(uid);
        if (hook == null) {
            return error(404, "Webhook not found: " + uid);
        }
        return switch (method) {
            case "GET" -> FakeResponse.json(200, state.json.hook(hook));
            case "PUT" -> {
                applyHookBody(hook, request.json(), false);
                yield FakeResponse.json(200, state.json.hook(hook));
            }
            case "DELETE" -> {
                hooks.remove(uid);
                yield FakeResponse.empty(204);
            }
            default -> notAllowed();
        };
    }

    /** Validates first, then applies, so a bad PUT changes nothing. */
    private static void applyHookBody(Hook hook, JsonNode body, boolean create) {
        if (!body.isObject()) {
            throw badRequest("The body must be a JSON object.");
        }
        String url = body.has("url") ? body.path("url").asText("") : hook.url;
        if (url == null || url.isBlank() || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw badRequest("url: a valid http(s) URL is required.");
        }
        try {
            java.net.URI.create(url).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw badRequest("url: not a valid URL.");
        }
        List<String> events = hook.events;
        if (body.has("events") || create) {
            if (!body.path("events").isArray() || body.path("events").isEmpty()) {
                throw badRequest("events: at least one event is required.");
            }
            Set<String> unique = new LinkedHashSet<>();
            for (JsonNode event : body.path("events")) {
                if (!HOOK_EVENTS.contains(event.asText()) || !unique.add(event.asText())) {
                    throw badRequest("events: unknown or repeated event " + event.asText());
                }
            }
            events = new ArrayList<>(unique);
        }
        String secret = hook.secret;
        if (body.has("secret")) {
            JsonNode value = body.get("secret");
            if (!value.isNull() && !value.isTextual()) {
                throw badRequest("secret: must be a string or null.");
            }
            secret = value.isNull() || value.asText().isEmpty() ? null : value.asText();
            if (secret != null && secret.length() > 128) {
                throw badRequest("secret: at most 128 characters.");
            }
        }
        hook.url = url;
        hook.events = events;
        hook.secret = secret;
        if (body.has("description")) {
            hook.description = body.path("description").asText("");
        }
        if (body.has("active")) {
            hook.active = body.path("active").asBoolean(true);
        }
        if (body.has("skip_cert_verification")) {
            hook.skipCertVerification = body.path("skip_cert_verification").asBoolean(false);
        }
        if (body.has("history_enabled")) {
            hook.historyEnabled = body.path("history_enabled").asBoolean(false);
        }
    }

    // ---- events ----

    /** Refs moved (REST or git push): deliver {@code repo:push}. */
    void pushed(Repo repo, CloudPrincipal who, List<CloudEvents.RefMove> moves) throws IOException {
        if (moves.isEmpty()) {
            return;
        }
        repo.updatedOn = state.now();
        state.deliver(repo, "repo:push", state.events.push(repo, who.user(), state.ownerOf(repo.workspace), moves));
    }

    // ---- git smart HTTP ----

    FakeResponse git(FakeRequest request) throws IOException {
        List<String> segments = request.segments();
        String slug = segments.get(1).substring(0, segments.get(1).length() - ".git".length());
        String suffix = String.join("/", segments.subList(2, segments.size()));
        Workspace workspace = state.findWorkspace(segments.get(0));
        Repo repo = workspace == null ? null : state.findRepo(workspace, slug);
        if (GitSmartHttp.service(request, suffix) == null) {
            return FakeResponse.text(404, "Not found");
        }
        CloudAuthenticator.Outcome outcome = auth.git(request);
        if (outcome.principal() == null) {
            return FakeResponse.text(401, "Authentication failed")
                    .header("WWW-Authenticate", "Basic realm=\"Bitbucket.org HTTP\"");
        }
        CloudPrincipal who = outcome.principal();
        boolean push = GitSmartHttp.isPush(request, suffix);
        if (!who.has(push ? CloudScopes.REPO_WRITE : CloudScopes.REPO_READ)) {
            return FakeResponse.text(403, "Your credentials lack one or more required privilege scopes.");
        }
        CloudPermission held = repo == null ? null : who.permissionOn(repo);
        if (held == null) {
            return FakeResponse.text(404, "Repository not found");
        }
        if (push && !held.includes(CloudPermission.WRITE)) {
            return FakeResponse.text(403, "You do not have write access to this repository.");
        }
        boolean wasEmpty = CloudGit.isEmpty(repo.git);
        return GitSmartHttp.serve(request, suffix, repo.git, commands -> {
            try {
                adoptMainBranch(repo, wasEmpty, commands);
                List<CloudEvents.RefMove> moves = new ArrayList<>();
                for (ReceiveCommand command : commands) {
                    moves.add(new CloudEvents.RefMove(command.getRefName(), nullIfZero(command.getOldId()),
                            nullIfZero(command.getNewId())));
                }
                pushed(repo, who, moves);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A first push into an empty repository without its main branch makes the pushed branch the main one. */
    private static void adoptMainBranch(Repo repo, boolean wasEmpty, List<ReceiveCommand> commands)
            throws IOException {
        if (!wasEmpty || repo.git.exactRef(Constants.R_HEADS + repo.mainBranch) != null) {
            return;
        }
        commands.stream().map(ReceiveCommand::getRefName).filter(r -> r.startsWith(Constants.R_HEADS)).findFirst()
                .ifPresent(ref -> {
                    repo.mainBranch = ref.substring(Constants.R_HEADS.length());
                    try {
                        CloudGit.pointHead(repo.git, repo.mainBranch);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static ObjectId nullIfZero(ObjectId id) {
        return id == null || ObjectId.zeroId().equals(id) ? null : id;
    }
}
