package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.notAllowed;
import static io.bitbridge.fakes.cloud.CloudErrors.require;
import static io.bitbridge.fakes.cloud.CloudErrors.requirePermission;

/**
 * {@code /2.0/repositories/{workspace}[/{repo_slug}[/...]]}: listing, creating and reading repositories; below a
 * repository, checks the scope and permission its sub-resource needs and hands over to it.
 */
final class CloudRepositoryApi {
    private final CloudState state;
    private final String base;
    private final CloudRefApi refs;
    private final CloudCommitApi commits;
    private final CloudDiffstatApi diffstat;
    private final CloudSource source;
    private final CloudHookApi hooks;
    private final CloudGroupPermissionApi groupPermissions;

    CloudRepositoryApi(CloudState state, String base, CloudHookApi hooks) {
        this.state = state;
        this.base = base;
        this.refs = new CloudRefApi(state, base);
        this.commits = new CloudCommitApi(state, base);
        this.diffstat = new CloudDiffstatApi(state, base);
        this.source = new CloudSource(state, state::pushed);
        this.hooks = hooks;
        this.groupPermissions = new CloudGroupPermissionApi(state, base);
    }

    /** {@code path}: the segments after {@code repositories}, at least the workspace. */
    FakeResponse handle(FakeRequest request, List<String> path, CloudPrincipal who) throws IOException {
        String method = request.method();
        if (path.size() == 1) {
            if (!method.equals("GET")) {
                return error(404, "Resource not found");
            }
            require(who, CloudScopes.REPO_READ);
            return listRepositories(request, who, path.get(0));
        }
        if (path.size() == 2 && method.equals("POST")) {
            require(who, CloudScopes.REPO_ADMIN);
            return createRepository(request, who, path.get(0), path.get(1));
        }
        Workspace workspace = state.findWorkspace(path.get(0));
        Repo repo = workspace == null ? null : state.findRepo(workspace, path.get(1));
        return repository(request, path.subList(2, path.size()), who, repo, path.get(0) + "/" + path.get(1));
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
            case "permissions-config" -> CloudScopes.REPO_ADMIN;
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
            case "refs" -> refs.handle(request, tail, who, repo);
            case "commits" -> commits.commits(request, tail, repo);
            case "commit" -> commits.commit(request, tail, repo);
            case "diffstat" -> diffstat.handle(request, tail, repo);
            case "src" -> {
                if (method.equals("POST") && tail.isEmpty()) {
                    requirePermission(who, repo, CloudPermission.WRITE);
                    yield source.create(request, who, repo);
                }
                yield method.equals("GET") ? source.read(request, tail, repo) : notAllowed();
            }
            case "hooks" -> {
                requirePermission(who, repo, CloudPermission.ADMIN);
                yield hooks.handle(request, tail, repo.workspace, repo, repo.hooks);
            }
            case "permissions-config" -> {
                requirePermission(who, repo, CloudPermission.ADMIN);
                yield groupPermissions.handle(request, tail, who, repo);
            }
            default -> error(404, "Resource not found");
        };
    }
}
