package io.bitbridge.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * credential-service's internal webhook-secrets API ({@link io.bitbridge.credentialapi.InternalCredentialApi}), answering
 * the shared {@link WebhookSecrets} record, in the test JVM: {@code GET
 * /internal/credentials/{id}/webhook-secrets} with a bearer token of role {@code service} (signature checked
 * against the test key), 404 for an unknown id. Tests register credentials, count calls and can make it fail or
 * answer slowly. Server credentials carry {@link #SERVER_HOST} as their base URL's host, as credential-service does.
 */
public class FakeCredentialService implements QuarkusTestResourceLifecycleManager {
    /** The host of every Server credential's base URL here; it names their repositories in event keys. */
    public static final String SERVER_HOST = "bitbucket.test.example:7990";
    private static final String PREFIX = "/internal/credentials/";
    private static final String SUFFIX = "/webhook-secrets";
    private static volatile FakeCredentialService current;

    private final Map<String, WebhookSecrets> credentials = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile int failWithStatus;
    private final Queue<Duration> delays = new ConcurrentLinkedQueue<>();
    private volatile HttpServer server;
    private int port;
    private ExecutorService executor;

    public static FakeCredentialService get() {
        if (current == null) {
            throw new IllegalStateException("FakeCredentialService is not started: add it with @WithTestResource");
        }
        return current;
    }

    @Override
    public Map<String, String> start() {
        listen(0);
        current = this;
        return Map.of("quarkus.rest-client.credential-service.url", "http://127.0.0.1:" + port);
    }

    private void listen(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    /** Normal service again, on the same port, whatever a test did: listening, no failure, no delay. */
    public void reset() {
        heal();
        delays.clear();
        if (server == null) {
            listen(port);
        }
    }

    @Override
    public void stop() {
        shutdown();
    }

    /** Stops answering at all (connection refused), as a crashed credential-service would. */
    public void shutdown() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public void put(String id, Provider provider, String currentSecret) {
        put(id, provider, currentSecret, null, null, false);
    }

    public void put(String id, Provider provider, String currentSecret, String previous, Instant previousValidUntil,
                    boolean acceptUnsignedWithToken) {
        put(id, provider, currentSecret, null, previous, previousValidUntil, acceptUnsignedWithToken);
    }

    /** A credential in the middle of a rotation: {@code next} is staged while its hooks are being updated. */
    public void put(String id, Provider provider, String currentSecret, String next, String previous, Instant previousValidUntil,
                    boolean acceptUnsignedWithToken) {
        credentials.put(id, new WebhookSecrets(currentSecret, next, previous, previousValidUntil, acceptUnsignedWithToken, provider,
                provider == Provider.BITBUCKET_SERVER ? SERVER_HOST : null));
    }

    public int calls(String id) {
        AtomicInteger count = calls.get(id);
        return count == null ? 0 : count.get();
    }

    /** Calls for every credential id since the start. */
    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Every request answers {@code status} until {@link #heal()} (0 = normal service). */
    public void failWith(int status) {
        failWithStatus = status;
    }

    public void heal() {
        failWithStatus = 0;
    }

    /** The next calls answer only after these delays, one per call, in order (a slow credential-service). */
    public void answerAfter(Duration... perCall) {
        delays.addAll(List.of(perCall));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) || !path.endsWith(SUFFIX)) {
                respond(exchange, 404, "{}");
                return;
            }
            if (!TestTokens.grants(exchange.getRequestHeaders().getFirst("Authorization"), Roles.READ_WEBHOOK_SECRETS)) {
                respond(exchange, 401, "{\"title\":\"Unauthorized\"}");
                return;
            }
            String id = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
            calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            Duration delay = delays.poll();
            if (delay != null) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (failWithStatus != 0) {
                respond(exchange, failWithStatus, "{\"title\":\"failing on purpose\"}");
                return;
            }
            WebhookSecrets secrets = credentials.get(id);
            if (secrets == null) {
                respond(exchange, 404, "{\"title\":\"Not Found\"}");
                return;
            }
            // the shared record, written as credential-service's REST layer writes it
            respond(exchange, 200, EventJson.mapper().writeValueAsString(secrets));
        }
    }


    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
