package io.bitbridge.common.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bitbridge.events.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stand-in for a production issuer's token endpoint: the OAuth 2.0 client-credentials grant
 * (RFC 6749 §4.4, https://www.rfc-editor.org/rfc/rfc6749#section-4.4) on a loopback port, so that services get their
 * tokens through quarkus-oidc-client locally exactly as in production. Each client is one service: its id is the
 * service's name, its secret is random (made at registration), and its token carries {@code sub} = the client id,
 * {@code groups} = {@link Roles#SERVICE} plus the client's scopes, and the audience of the {@link TokenMinter}.
 * Clients authenticate with HTTP Basic or with {@code client_id} / {@code client_secret} in the form (RFC 6749 §2.3.1).
 */
public final class ClientCredentialsEndpoint implements AutoCloseable {
    public static final String TOKEN_PATH = "/token";
    private static final int MAX_FORM_BYTES = 8 * 1024;

    private final TokenMinter minter;
    private final Duration lifetime;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final HttpServer server;
    private final ExecutorService executor;

    private record Client(byte[] secret, Set<String> scopes) {
    }

    private ClientCredentialsEndpoint(TokenMinter minter, Duration lifetime, HttpServer server) {
        this.minter = minter;
        this.lifetime = lifetime;
        this.server = server;
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "bitbridge-token-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(TOKEN_PATH, this::handle);
        server.start();
    }

    static {
        // Without TCP_NODELAY the JDK's server answers 40 ms late (the body waits for the client's delayed ACK of the
        // headers). Read once, when the JVM's first HttpServer is made; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Starts the endpoint on the loopback interface ({@code port} 0 picks a free one). */
    public static ClientCredentialsEndpoint start(TokenMinter minter, Duration lifetime, int port) {
        try {
            return new ClientCredentialsEndpoint(minter, lifetime,
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers (or re-registers) a client with the scopes it may be granted and returns its new secret. */
    public String register(String clientId, Set<String> scopes) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        clients.put(clientId, new Client(encoded.getBytes(StandardCharsets.UTF_8), Set.copyOf(scopes)));
        return encoded;
    }

    /** What quarkus-oidc-client takes as {@code auth-server-url} (the token path is {@value #TOKEN_PATH}). */
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                error(exchange, 400, "invalid_request", "the body must be application/x-www-form-urlencoded");
                return;
            }
            Optional<Map<String, String>> form = readForm(exchange.getRequestBody());
            if (form.isEmpty()) {
                error(exchange, 400, "invalid_request", "malformed or oversized form");
                return;
            }
            answer(exchange, form.get());
        }
    }

    private void answer(HttpExchange exchange, Map<String, String> form) throws IOException {
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        String[] credentials = basic != null ? fromBasic(basic) : new String[]{form.get("client_id"), form.get("client_secret")};
        if (basic != null && form.containsKey("client_secret")) {
            // RFC 6749 §2.3: a client uses one authentication method per request.
            error(exchange, 400, "invalid_request", "more than one client authentication method");
            return;
        }
        Client client = credentials == null || credentials[0] == null ? null : clients.get(credentials[0]);
        if (client == null || credentials[1] == null
                || !MessageDigest.isEqual(client.secret(), credentials[1].getBytes(StandardCharsets.UTF_8))) {
            if (basic != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"bitbridge\"");
            }
            error(exchange, 401, "invalid_client", "unknown client or wrong secret");
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            error(exchange, 400, "unsupported_grant_type", "only client_credentials is served here");
            return;
        }
        Set<String> scopes = client.scopes();
        String requested = form.get("scope");
        if (requested != null && !requested.isBlank()) {
            Set<String> asked = new TreeSet<>(Arrays.asList(requested.trim().split(" +")));
            if (!client.scopes().containsAll(asked)) {
                error(exchange, 400, "invalid_scope", "a requested scope is not granted to this client");
                return;
            }
            scopes = asked;
        }
        Set<String> groups = new TreeSet<>(scopes);
        groups.add(Roles.SERVICE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", minter.mint(credentials[0], groups, lifetime));
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetime.toSeconds());
        body.put("scope", String.join(" ", new TreeSet<>(scopes)));
        send(exchange, 200, body);
    }

    /** The client id and secret of an HTTP Basic header, each form-urlencoded (RFC 6749 §2.3.1); null if malformed. */
    private static String[] fromBasic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[]{
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<Map<String, String>> readForm(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_FORM_BYTES + 1);
        if (bytes.length > MAX_FORM_BYTES) {
            return Optional.empty();
        }
        Map<String, String> form = new HashMap<>();
        try {
            for (String pair : new String(bytes, StandardCharsets.US_ASCII).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                // RFC 6749 §3.2: request parameters must not be repeated.
                if (form.put(name, value) != null) {
                    return Optional.empty();
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(form);
    }

    private static void error(HttpExchange exchange, int status, String error, String description) throws IOException {
        send(exchange, status, Map.of("error", error, "error_description", description));
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] json;
        try {
            json = EventJson.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // RFC 6749 §5.1: token responses are never cached.
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Pragma", "no-cache");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
