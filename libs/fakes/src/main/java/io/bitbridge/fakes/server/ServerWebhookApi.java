package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.server.ServerModel.Caller;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /rest/api/1.0/projects/{key}[/repos/{slug}]/webhooks[/{id}|/test]}. Every route needs REPO_ADMIN
 * (PROJECT_ADMIN for project hooks); without it Data Center answers 401. Create answers 200 (as [dc-spec] says),
 * delete 204.
 */
final class ServerWebhookApi {

    private static final String NO_SUCH_WEBHOOK = "com.atlassian.webhooks.NoSuchWebhookException";
    private static final String VALIDATION = "com.atlassian.bitbucket.validation.ArgumentValidationException";

    private final BitbucketServerFake fake;

    ServerWebhookApi(BitbucketServerFake fake) {
        this.fake = fake;
    }

    /** {@code mayManage}: whether the caller holds the admin permission of the scope. */
    FakeResponse handle(FakeRequest request, List<String> rest, Caller caller, WebhookScope scope, boolean mayManage)
            throws InterruptedException {
        if (caller.isAnonymous()) {
            return ServerRestApi.unauthorised();
        }
        if (!mayManage) {
            return ServerRestApi.forbidden("You are not permitted to manage webhooks of this " + scope.scopeType());
        }
        String method = request.method();
        if (rest.isEmpty()) {
            return switch (method) {
                case "GET" -> list(request, scope);
                case "POST" -> create(request, scope);
                default -> ServerRestApi.methodNotAllowed(method);
            };
        }
        if (rest.size() == 1 && rest.get(0).equals("test")) {
            return method.equals("POST") ? test(request, scope) : ServerRestApi.methodNotAllowed(method);
        }
        if (rest.size() == 2 && rest.get(1).equals("latest")) {
            ServerWebhook webhook = parseId(rest.get(0)).map(scope::get).orElse(null);
            if (webhook == null) {
                return ServerJson.error(404, null, "No webhook with id " + rest.get(0) + " exists for this "
                        + scope.scopeType() + ".", NO_SUCH_WEBHOOK);
            }
            return method.equals("GET") ? latest(webhook, scope) : ServerRestApi.methodNotAllowed(method);
        }
        if (rest.size() == 1) {
            ServerWebhook webhook = parseId(rest.get(0)).map(scope::get).orElse(null);
            if (webhook == null) {
                return ServerJson.error(404, null, "No webhook with id " + rest.get(0) + " exists for this "
                        + scope.scopeType() + ".", NO_SUCH_WEBHOOK);
            }
            return switch (method) {
                case "GET" -> FakeResponse.json(200, ServerJson.webhook(webhook, scope.scopeType()));
                case "PUT" -> update(request, scope, webhook);
                case "DELETE" -> {
                    scope.remove(webhook.id());
                    yield FakeResponse.empty(204);
                }
                default -> ServerRestApi.methodNotAllowed(method);
            };
        }
        return ServerJson.error(404, null, "No REST resource at " + request.rawPath(), "com.sun.jersey.api.NotFoundException");
    }

    /** The latest invocation (204 when there was none): timing, request and result, as RestDetailedInvocation. */
    private FakeResponse latest(ServerWebhook webhook, WebhookScope scope) {
        DeliveryAttempt attempt = fake.health(webhook.id()).latest();
        if (attempt == null) {
            return FakeResponse.empty(204);
        }
        long start = attempt.sentAt().toEpochMilli();
        ObjectNode node = FakeJson.object()
                .put("id", webhook.id())
                .put("event", attempt.delivery().eventKey())
                .put("start", start)
                .put("finish", start)
                .put("duration", 0);
        node.putObject("eventScope").put("type", scope.scopeType()).put("id", Integer.toString(webhook.id()));
        node.putObject("request").put("url", attempt.delivery().url().toString()).put("method", "POST");
        String outcome = attempt.status() < 0 ? "ERROR" : attempt.succeeded() ? "SUCCESS" : "FAILURE";
        node.putObject("result").put("outcome", outcome)
                .put("description", attempt.status() < 0 ? attempt.error() : Integer.toString(attempt.status()));
        return FakeResponse.json(200, node);
    }

    private FakeResponse list(FakeRequest request, WebhookScope scope) {
        List<String> events = request.queryAll("event");
        List<ServerWebhook> hooks = scope.all().stream()
                .filter(h -> events.isEmpty() || h.events().stream().anyMatch(events::contains))
                .toList();
        return ServerRestApi.paged(request, hooks, h -> ServerJson.webhook(h, scope.scopeType()));
    }

    private FakeResponse create(FakeRequest request, WebhookScope scope) {
        JsonNode body = ServerRestApi.jsonObject(request);
        if (body == null) {
            return ServerJson.error(400, null, "The request body must be a JSON object.", VALIDATION);
        }
        FakeResponse invalid = validate(body, true);
        if (invalid != null) {
            return invalid;
        }
        long now = System.currentTimeMillis();
        ServerWebhook webhook = build(fake.model().nextWebhookId(), body, null, now, now);
        scope.put(webhook);
        return FakeResponse.json(200, ServerJson.webhook(webhook, scope.scopeType()));
    }

    private FakeResponse update(FakeRequest request, WebhookScope scope, ServerWebhook existing) {
        JsonNode body = ServerRestApi.jsonObject(request);
        if (body == null) {
            return ServerJson.error(400, null, "The request body must be a JSON object.", VALIDATION);
        }
        FakeResponse invalid = validate(body, false);
        if (invalid != null) {
            return invalid;
        }
        ServerWebhook updated = build(existing.id(), body, existing, existing.createdDate(), System.currentTimeMillis());
        scope.put(updated);
        return FakeResponse.json(200, ServerJson.webhook(updated, scope.scopeType()));
    }

    /** Builds a hook from a request body; on update, fields the body leaves out keep their values. */
    private static ServerWebhook build(int id, JsonNode body, ServerWebhook existing, long created, long updated) {
        String name = body.hasNonNull("name") ? body.get("name").asText() : existing.name();
        String url = body.hasNonNull("url") ? body.get("url").asText() : existing.url();
        boolean active = body.has("active") ? body.get("active").asBoolean(true) : existing == null || existing.active();
        List<String> events = body.has("events") ? List.copyOf(new LinkedHashSet<>(ServerRestApi.stringList(body.get("events"))))
                : existing.events();
        Map<String, String> configuration = body.has("configuration") ? ServerRestApi.stringMap(body.get("configuration"))
                : existing == null ? Map.of() : existing.configuration();
        boolean ssl = body.has("sslVerificationRequired") ? body.get("sslVerificationRequired").asBoolean(true)
                : existing == null || existing.sslVerificationRequired();
        String user = existing == null ? null : existing.credentialsUsername();
        String password = existing == null ? null : existing.credentialsPassword();
        if (body.has("credentials")) {
            JsonNode credentials = body.get("credentials");
            user = credentials.hasNonNull("username") ? credentials.get("username").asText() : null;
            password = credentials.hasNonNull("password") ? credentials.get("password").asText() : null;
        }
        return new ServerWebhook(id, name, url, active, events, Map.copyOf(configuration), ssl, user, password, created, updated);
    }

    private static FakeResponse validate(JsonNode body, boolean creating) {
        if ((creating || body.has("name")) && (!body.path("name").isTextual() || body.path("name").asText().isBlank())) {
            return ServerJson.error(400, "name", "A name is required.", VALIDATION);
        }
        if ((creating || body.has("url")) && ServerRestApi.uri(body.path("url").asText("")) == null) {
            return ServerJson.error(400, "url", "A valid http(s) URL is required.", VALIDATION);
        }
        if ((creating || body.has("events")) && ServerRestApi.stringList(body.get("events")).isEmpty()) {
            return ServerJson.error(400, "events", "At least one event must be selected.", VALIDATION);
        }
        Set<String> known = BitbucketServerFake.KNOWN_EVENTS;
        for (String event : ServerRestApi.stringList(body.get("events"))) {
            if (!known.contains(event)) {
                return ServerJson.error(400, "events", "Unknown event '" + event + "'.", VALIDATION);
            }
        }
        return null;
    }

    /**
     * Sends {@code diagnostics:ping} ({@code {"test": true}}, unsigned) to {@code ?url=} or the hook
     * {@code ?webhookId=} and reports what the receiver answered.
     */
    private FakeResponse test(FakeRequest request, WebhookScope scope) throws InterruptedException {
        String url = request.query("url");
        String webhookId = request.query("webhookId");
        ServerWebhook hook = webhookId == null ? null : parseId(webhookId).map(scope::get).orElse(null);
        if (url == null && hook != null) {
            url = hook.url();
        }
        URI target = url == null ? null : ServerRestApi.uri(url);
        if (target == null) {
            return ServerJson.error(400, "url", "A valid http(s) URL is required.", VALIDATION);
        }
        JsonNode credentials = ServerRestApi.jsonObject(request);
        String user = credentials == null ? null : credentials.path("username").asText(null);
        String password = credentials == null ? null : credentials.path("password").asText(null);
        DeliveryAttempt attempt;
        try {
            attempt = fake.deliverPing(target, user, password).get(30, TimeUnit.SECONDS).get(0);
        } catch (ExecutionException | TimeoutException e) {
            return ServerJson.error(500, null, "Ping delivery failed: " + e.getClass().getSimpleName(),
                    "java.lang.IllegalStateException");
        }
        ObjectNode result = FakeJson.object();
        ObjectNode sent = result.putObject("request");
        sent.put("url", target.toString()).put("method", "POST");
        ObjectNode headers = sent.putObject("headers");
        attempt.headers().forEach((k, v) -> headers.put(k, k.equalsIgnoreCase("Authorization") ? "********" : v));
        sent.put("body", attempt.bodyText());
        ObjectNode response = result.putObject("response");
        if (attempt.status() >= 0) {
            response.put("statusCode", attempt.status());
        } else {
            response.put("statusCode", 0).put("errorMessage", attempt.error());
        }
        return FakeResponse.json(200, result);
    }


    private static java.util.Optional<Integer> parseId(String value) {
        try {
            return java.util.Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
