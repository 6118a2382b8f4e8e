package io.bitbridge.gitops.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.testkit.SharedTestInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What gitops-writer talks to, in the test JVM: the Bitbucket Cloud fake (sandbox preset: {@code acme/infra} on
 * {@code main}) and a stand-in for credential-service answering its internal authorization API with the shared
 * {@link Authorization} record (a user API token for the fake) and its admin webhook-registration endpoint, which
 * records each registration and, as credential-service does, requires a token with the {@code admin} role.
 */
public class GitOpsFakes implements QuarkusTestResourceLifecycleManager {
    public static final String CREDENTIAL_ID = "7d0c9a52-55a4-4a43-9c1e-4a0f8f0d2b11";
    private static final String WEBHOOKS = "/api/credentials/";

    private static volatile BitbucketCloudFake cloud;
    private static final List<String> registrations = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    @Override
    public Map<String, String> start() {
        cloud = BitbucketCloudFake.sandbox();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext(InternalCredentialApi.ROOT + "/", this::authorization);
        server.createContext(WEBHOOKS, this::registerWebhook);
        server.start();
        return Map.of("quarkus.rest-client.credential-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    public static BitbucketCloudFake cloud() {
        return cloud;
    }

    /** {@code credentialId owner/repo} of every webhook registration asked for, in order. */
    public static List<String> registrations() {
        return List.copyOf(registrations);
    }

    /** The authorization credential-service hands out for the fake's sandbox user API token. */
    public static Authorization sandboxAuthorization() {
        String basic = Base64.getEncoder().encodeToString((BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        return new Authorization("Basic " + basic, null, cloud.apiUrl(), BitbucketCloudFake.SANDBOX_EMAIL,
                BitbucketCloudFake.SANDBOX_API_TOKEN, null, false, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD);
    }

    private void authorization(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String expected = InternalCredentialApi.ROOT + InternalCredentialApi.AUTHORIZATION.replace("{id}", CREDENTIAL_ID);
            if (!hasRole(exchange, "service")) {
                respond(exchange, 401, Map.of("title", "Unauthorized"));
            } else if (!"POST".equals(exchange.getRequestMethod()) || !path.equals(expected)) {
                respond(exchange, 404, Map.of("title", "Not Found"));
            } else {
                respond(exchange, 200, sandboxAuthorization());
            }
        }
    }

    private void registerWebhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().substring(WEBHOOKS.length()).split("/");
            if (!hasRole(exchange, "admin")) {
                respond(exchange, 403, Map.of("title", "Forbidden"));
            } else if (!"PUT".equals(exchange.getRequestMethod()) || parts.length != 4 || !"webhooks".equals(parts[1])) {
                respond(exchange, 404, Map.of("title", "Not Found"));
            } else {
                registrations.add(parts[0] + " " + parts[2] + "/" + parts[3]);
                respond(exchange, 200, Map.of("owner", parts[2], "repo", parts[3], "outcome", "CREATED"));
            }
        }
    }

    /** A bearer JWT signed with the test key (checked by smallrye-jwt's parser) whose groups hold {@code role}. */
    private static boolean hasRole(HttpExchange exchange, String role) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        try {
            JsonWebToken token = new DefaultJWTParser().verify(authorization.substring(7), SharedTestInfra.get().keys().getPublic());
            return token.getGroups().contains(role);
        } catch (ParseException e) {
            return false;
        }
    }

    /** Answers {@code body} as JSON, written by the events' mapper as the services write theirs. */
    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json = EventJson.mapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }
}
