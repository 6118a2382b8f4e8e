package io.bitbridge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.server.BitbucketServerFake;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The whole flow from a commit in the Bitbucket Cloud fake to a Jenkins build, driven and observed over HTTP only
 * (the services' APIs and the fakes' {@code /_sandbox/} pages), so {@code ./bitbridge demo} and the end-to-end
 * tests walk exactly the same steps against any running stack.
 */
public final class SandboxFlow {
    /** Where everything answers. */
    public record Endpoints(String gateway, String credentials, String tracker, String buildTrigger, String gitops,
                            String cloud, String jenkins) {
        public static Endpoints of(java.util.function.Function<String, String> serviceUrl, String cloud, String jenkins) {
            return new Endpoints(serviceUrl.apply("webhook-gateway"), serviceUrl.apply("credential-service"),
                    serviceUrl.apply("commit-tracker"), serviceUrl.apply("build-trigger"), serviceUrl.apply("gitops-writer"),
                    cloud, jenkins);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLOUD_AUTH = "Basic " + Base64.getEncoder().encodeToString(
            (BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes(StandardCharsets.UTF_8));

    private final Endpoints endpoints;
    private final String adminToken;
    private final Duration patience;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public SandboxFlow(Endpoints endpoints, String adminToken, Duration patience) {
        this.endpoints = endpoints;
        this.adminToken = adminToken;
        this.patience = patience;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** The Cloud API-token credential with this name: the existing one, or a new one (checked by Bitbucket first). */
    public String cloudCredential(String name) {
        for (JsonNode credential : get(endpoints.credentials + "/api/credentials", bearer())) {
            if (name.equals(credential.path("name").asText())) {
                return credential.path("id").asText();
            }
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("kind", "BITBUCKET_CLOUD_API_TOKEN");
        body.put("name", name);
        body.put("email", BitbucketCloudFake.SANDBOX_EMAIL);
        body.put("token", BitbucketCloudFake.SANDBOX_API_TOKEN);
        body.put("apiBaseUrl", endpoints.cloud);
        return send("POST", endpoints.credentials + "/api/credentials", bearer(), "application/json", write(body), 201)
                .path("id").asText();
    }

    /**
     * A Bitbucket Cloud OAuth consent link ({@code POST /api/credentials/oauth-consents}): {@code {"consentUrl","expiresAt"}}
     * for {@code {"name"}} (a new credential) or {@code {"credentialId"[,"allowAccountChange"]}}.
     */
    public JsonNode oauthConsent(Map<String, Object> request) {
        return send("POST", endpoints.credentials + "/api/credentials/oauth-consents", bearer(), "application/json", write(request), 201);
    }

    /** A Bitbucket Server HTTP-access-token credential for the sandbox user of the Server fake at {@code serverUrl}. */
    public String serverCredential(String name, String serverUrl) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("kind", "BITBUCKET_SERVER_TOKEN");
        body.put("name", name);
        body.put("baseUrl", serverUrl);
        body.put("token", BitbucketServerFake.SANDBOX_TOKEN);
        return send("POST", endpoints.credentials + "/api/credentials", bearer(), "application/json", write(body), 201)
                .path("id").asText();
    }

    /** Registers (or confirms) Bitbridge's webhook on the repository: CREATED, UPDATED or UNCHANGED. */
    public String registerWebhook(String credentialId, String repository) {
        return send("PUT", endpoints.credentials + "/api/credentials/" + credentialId + "/webhooks/" + repository, bearer(),
                "application/json", "", 200).path("outcome").asText();
    }

    /** Commits one file to a branch of the Cloud fake through its {@code /src} API, as a developer would; its hash. */
    public String commit(String repository, String branch, String message, String path, String content) {
        String form = Map.of("message", message, "branch", branch, path, content).entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        HttpResponse<String> response = exchange("POST", endpoints.cloud + "/2.0/repositories/" + repository + "/src",
                CLOUD_AUTH, "application/x-www-form-urlencoded", form);
        expect(response, 201);
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The fake's delivery attempts whose body names the commit, once one of them was accepted (2xx). */
    public List<JsonNode> deliveriesOf(String commit) {
        return await("an accepted webhook delivery of " + commit, () -> matching(get(endpoints.cloud + "/_sandbox/deliveries", null),
                attempt -> attempt.path("body").asText().contains(commit)),
                list -> list.stream().anyMatch(attempt -> attempt.path("status").asInt() / 100 == 2));
    }

    /**
     * What the gateway says it did with the delivery, once it answered it other than 5xx (verdict {@code accepted}: on
     * Kafka before it answered).
     */
    public JsonNode gatewayVerdict(String credentialId, String requestUuid) {
        return await("the gateway's record of delivery " + requestUuid, () -> matching(
                        get(endpoints.gateway + "/api/credentials/" + credentialId + "/deliveries?limit=200", bearer()),
                        d -> d.toString().contains(requestUuid) && d.path("status").asInt() < 500),
                list -> !list.isEmpty()).get(0);
    }

    /** build-trigger's decisions for the commit, once one has reached Jenkins' queue or later. */
    public List<JsonNode> triggerDecisions(String commit, Predicate<List<JsonNode>> done) {
        return await("build-trigger's decision for " + commit, () -> list(get(endpoints.buildTrigger + "/api/triggers?commit=" + commit, bearer())),
                done);
    }

    /** The build requests the Jenkins fake received with this commit as a parameter. */
    public List<JsonNode> jenkinsTriggers(String commit) {
        return matching(get(endpoints.jenkins + "/_sandbox/triggers", null),
                trigger -> commit.equals(trigger.path("parameters").path("COMMIT").asText()));
    }

    /** commit-tracker's links of the task to this commit, once there is one. */
    public List<JsonNode> taskLinks(String task, String commit) {
        return await("commit-tracker's link of " + task + " to " + commit, () -> {
            HttpResponse<String> response = exchange("GET", endpoints.tracker + "/api/tasks/" + task, bearer(), null, null);
            if (response.statusCode() == 404) {
                return List.<JsonNode>of();
            }
            expect(response, 200);
            return matching(parse(response.body()).path("links"), link -> link.toString().contains(commit));
        }, list -> !list.isEmpty());
    }

    /**
     * The build states Bitbridge posted on the Cloud commit, in order, as the fake's request log shows them (the
     * statuses API keeps only the newest per key), once one is final ({@code SUCCESSFUL}, {@code FAILED},
     * {@code STOPPED}).
     */
    public List<String> buildStates(String repository, String commit) {
        String path = "/2.0/repositories/" + repository + "/commit/" + commit + "/statuses/build";
        return postedBuildStates(endpoints.cloud, path, posted -> posted.startsWith(path));
    }

    /** As {@link #buildStates} for a commit of the Bitbucket Server fake at {@code serverUrl}. */
    public List<String> serverBuildStates(String serverUrl, String project, String slug, String commit) {
        // The REST API answers under /rest/api/1.0 and its alias /rest/api/latest.
        String path = "/projects/" + project + "/repos/" + slug + "/commits/" + commit + "/builds";
        return postedBuildStates(serverUrl, path, posted -> posted.startsWith("/rest/api/") && posted.endsWith(path));
    }

    private List<String> postedBuildStates(String fake, String path, Predicate<String> matches) {
        return await("a final build status at " + path, () -> {
            List<String> states = new ArrayList<>();
            for (JsonNode request : get(fake + "/_sandbox/requests", null)) {
                if ("POST".equals(request.path("method").asText()) && matches.test(request.path("path").asText())
                        && request.path("status").asInt() < 300) {
                    states.add(parse(request.path("body").asText()).path("state").asText());
                }
            }
            return states;
        }, states -> states.stream().anyMatch(s -> List.of("SUCCESSFUL", "FAILED", "STOPPED").contains(s)));
    }

    /** The statuses API's current view of the commit's build statuses. */
    public List<JsonNode> statuses(String repository, String commit) {
        return list(get(endpoints.cloud + "/2.0/repositories/" + repository + "/commit/" + commit + "/statuses", CLOUD_AUTH).path("values"));
    }

    /** Attaches a GitOps target (gitops-writer registers the repository's webhook); the target as gitops-writer answers. */
    public JsonNode attachTarget(String credentialId, String repository, String branch, String clusterName, String clusterId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("clusterName", clusterName);
        body.put("clusterId", clusterId);
        body.put("credentialId", credentialId);
        body.put("repository", repository);
        body.put("branch", branch);
        return send("POST", endpoints.gitops + "/api/targets", bearer(), "application/json", write(body), 201);
    }

    /** Writes a target's desired state (the full set of files under its path); gitops-writer's result. */
    public JsonNode commitDesiredState(String targetId, String requestId, String message, Map<String, String> files) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId);
        body.put("message", message);
        body.put("files", files);
        return send("POST", endpoints.gitops + "/api/targets/" + targetId + "/commits", bearer(), "application/json", write(body), 200);
    }

    /** Whether a Bitbucket Cloud fake answers at the cloud address (a real Bitbucket has no {@code /_sandbox/}). */
    public boolean cloudFakeAnswers() {
        try {
            return exchange("GET", endpoints.cloud + "/_sandbox/hooks", null, null, null).statusCode() == 200;
        } catch (IllegalStateException unreachable) {
            return false;
        }
    }

    // ---- HTTP ----

    private String bearer() {
        return "Bearer " + adminToken;
    }

    private <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + patience.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + patience.toSeconds() + " s; last seen: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            last = probe.get();
        }
        return last;
    }

    private JsonNode get(String url, String authorization) {
        HttpResponse<String> response = exchange("GET", url, authorization, null, null);
        expect(response, 200);
        return parse(response.body());
    }

    private JsonNode send(String method, String url, String authorization, String contentType, String body, int status) {
        HttpResponse<String> response = exchange(method, url, authorization, contentType, body);
        expect(response, status);
        return parse(response.body());
    }

    private HttpResponse<String> exchange(String method, String url, String authorization, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Optional.ofNullable(authorization).ifPresent(value -> request.header("Authorization", value));
        Optional.ofNullable(contentType).ifPresent(value -> request.header("Content-Type", value));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage()
                    + " (is the stack up? ./bitbridge up --sandbox)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + " (expected " + status + "): " + response.body());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static List<JsonNode> matching(JsonNode array, Predicate<JsonNode> test) {
        return list(array).stream().filter(test).toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

}
