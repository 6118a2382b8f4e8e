package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.cloud.CloudModel.Hook;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.bitbridge.fakes.cloud.CloudErrors.badRequest;
import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.notAllowed;
import static io.bitbridge.fakes.cloud.CloudErrors.require;

/**
 * Webhooks of a repository ({@code /2.0/repositories/{workspace}/{repo_slug}/hooks[/{uid}]}, repository admins) and
 * of a workspace ({@code /2.0/workspaces/{workspace}/hooks[/{uid}]}, workspace owners).
 */
final class CloudHookApi {
    /** The event keys a Cloud webhook may subscribe to (docs/bitbucket-api-notes.md §2). */
    static final Set<String> HOOK_EVENTS = Set.of("issue:comment_created", "issue:created", "issue:updated",
            "pipeline:span_created", "project:updated", "pullrequest:approved",
            "pullrequest:changes_request_created", "pullrequest:changes_request_removed",
            "pullrequest:comment_created", "pullrequest:comment_deleted", "pullrequest:comment_reopened",
            "pullrequest:comment_resolved", "pullrequest:comment_updated", "pullrequest:created",
            "pullrequest:fulfilled", "pullrequest:push", "pullrequest:rejected", "pullrequest:unapproved",
            "pullrequest:updated", "repo:commit_comment_created", "repo:commit_status_created",
            "repo:commit_status_updated", "repo:created", "repo:deleted", "repo:fork", "repo:imported", "repo:push",
            "repo:transfer", "repo:updated");

    private final CloudState state;
    private final String base;

    CloudHookApi(CloudState state, String base) {
        this.state = state;
        this.base = base;
    }

    FakeResponse workspaceHooks(FakeRequest request, List<String> tail, CloudPrincipal who,
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
        return handle(request, tail, workspace, null, workspace.hooks);
    }

    FakeResponse handle(FakeRequest request, List<String> tail, Workspace workspace, Repo repo,
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
}
