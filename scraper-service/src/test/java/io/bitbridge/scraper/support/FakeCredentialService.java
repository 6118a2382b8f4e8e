package io.bitbridge.scraper.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.events.EventJson;
import io.bitbridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * credential-service's internal authorization API ({@link InternalCredentialApi}) in the test JVM, answering the shared
 * {@link Authorization} record: {@code POST /internal/credentials/{id}/authorization} with a service token (signature
 * checked against the test key); 404 for an unknown id, 409 for a credential that is down.
 */
public class FakeCredentialService implements QuarkusTestResourceLifecycleManager {
    private static final String PREFIX = InternalCredentialApi.ROOT + "/";
    private static final String SUFFIX = "/authorization";
    private static volatile FakeCredentialService current;

    private final Map<String, Authorization> authorizations = new ConcurrentHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private HttpServer server;

    public static FakeCredentialService get() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext(PREFIX, this::handle);
        server.start();
        current = this;
        return Map.of("quarkus.rest-client.credential-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    public void put(String id, Authorization authorization) {
        down.remove(id);
        authorizations.put(id, authorization);
    }

    public Authorization authorization(String id) {
        return authorizations.get(id);
    }

    /** The credential needs reconnecting: credential-service answers 409. */
    public void down(String id) {
        down.add(id);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith(SUFFIX)) {
                JsonResponses.send(exchange, 404, "{\"title\":\"Not Found\"}");
                return;
            }
            if (!TestTokens.grants(exchange.getRequestHeaders().getFirst("Authorization"), Roles.READ_AUTHORIZATIONS)) {
                JsonResponses.send(exchange, 401, "{\"title\":\"Unauthorized\"}");
                return;
            }
            String id = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
            Authorization authorization = authorizations.get(id);
            if (down.contains(id)) {
                JsonResponses.send(exchange, 409, "{\"title\":\"Credential is down\"}");
            } else if (authorization == null) {
                JsonResponses.send(exchange, 404, "{\"title\":\"Not Found\"}");
            } else {
                JsonResponses.send(exchange, 200, EventJson.mapper().writeValueAsString(authorization));
            }
        }
    }
}
