package io.bitbridge.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.callguard.AttemptTimedOutException;
import io.bitbridge.callguard.CircuitOpenException;
import io.bitbridge.callguard.EndpointGuards;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place both products' clients send HTTP: JSON in and out, the credential's TLS trust, the guards
 * ({@link EndpointGuards}: timeout, retries, circuit breaker), Bitbucket's error reason on failure. One JDK client per distinct TLS setting, reused.
 * The credential's {@code Authorization} goes to the API's own origin only (an absolute URI elsewhere is refused
 * unsent), answers are read up to the endpoint's size cap, and a failed connection is reported as "unreachable"
 * without the way it failed (refused, reset, timed out), which would map the network behind a chosen base URL. Every
 * attempt is checked against the endpoint's {@link BaseUrlPolicy} first (scheme and resolved addresses) and refused
 * unsent ({@link BaseUrlRefusedException}, never retried).
 */
public final class BitbucketHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Map<TlsKey, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private final BitbucketEndpoint endpoint;
    private final EndpointGuards guards;
    private final String origin;
    private final HttpClient client;

    public BitbucketHttp(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    /** Every request goes through {@code guards}, under the circuit breaker of the endpoint's origin. */
    public BitbucketHttp(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.endpoint = endpoint;
        this.guards = guards;
        this.origin = endpoint.origin();
        TlsKey key = new TlsKey(endpoint.caPem(), endpoint.insecureTls());
        this.client = CLIENTS.computeIfAbsent(key, k -> HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(Tls.sslContext(k.caPem(), k.insecure()))
                .build());
    }

    public record Reply(int status, JsonNode body, HttpResponse<byte[]> raw) {
        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    public URI resolve(String path) {
        return endpoint.resolve(path);
    }

    public Reply get(String path) {
        return send("GET", endpoint.resolve(path), null);
    }

    /** A URI Bitbucket handed out (e.g. a {@code next} link); refused unsent unless it is on the API's origin. */
    public Reply get(URI absolute) {
        if (!endpoint.sameOrigin(absolute)) {
            throw new IllegalStateException("refusing to send the credential to " + BitbucketEndpoint.originOf(absolute)
                    + ", which is not its API " + origin);
        }
        return send("GET", absolute, null);
    }

    public Reply post(String path, Object body) {
        return send("POST", endpoint.resolve(path), body);
    }

    public Reply put(String path, Object body) {
        return send("PUT", endpoint.resolve(path), body);
    }

    public Reply delete(String path) {
        return send("DELETE", endpoint.resolve(path), null);
    }

    /** A body sent as it is (e.g. multipart/form-data), not as JSON. */
    public record RawBody(String contentType, byte[] bytes) {
    }

    public Reply post(String path, RawBody body) {
        return send("POST", endpoint.resolve(path), body);
    }

    /**
     * Sends through the guards: GET, PUT and DELETE are retried after transient failures (they repeat safely), a POST
     * never (a repeated POST could create a second hook). An open breaker sends nothing.
     */
    private Reply send(String method, URI uri, Object body) {
        try {
            return guards.call(origin, !"POST".equals(method), () -> sendOnce(method, uri, body));
        } catch (CircuitOpenException e) {
            throw new BitbucketCircuitOpenException(e);
        } catch (AttemptTimedOutException e) {
            throw unreachable(method, uri, e);
        }
    }

    private Reply sendOnce(String method, URI uri, Object body) {
        // every attempt, just before it connects: the stored base URL may have changed, its name may resolve elsewhere now
        endpoint.policy().requireAllowed(uri);
        // no request timeout here: the guards' attempt timeout covers the whole exchange
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Authorization", endpoint.authorization())
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else if (body instanceof RawBody raw) {
                request.header("Content-Type", raw.contentType())
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(raw.bytes()));
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = client.send(request.build(), CappedBody.handler(endpoint.maxResponseBytes()));
            int status = response.statusCode();
            if (status >= 400) {
                String reason = ErrorEnvelope.reason(response.body());
                throw new BitbucketApiException(status, reason == null || reason.isBlank() ? "HTTP " + status : reason,
                        response.headers().firstValue("Retry-After").flatMap(BitbucketHttp::seconds).orElse(null),
                        method + " " + withoutQuery(uri));
            }
            byte[] bytes = response.body();
            JsonNode json = bytes == null || bytes.length == 0 ? JSON.nullNode() : readJsonOrNull(bytes);
            return new Reply(status, json, response);
        } catch (IOException e) {
            var tooLarge = CappedBody.exceeded(e);
            if (tooLarge.isPresent()) {
                // not retried: the same request gets the same oversized answer
                throw new BitbucketApiException(tooLarge.getAsInt(), "the answer is larger than " + endpoint.maxResponseBytes()
                        + " bytes, more than Bitbridge reads", null, method + " " + withoutQuery(uri));
            }
            throw unreachable(method, uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(method, uri, e);
        }
    }

    /** One message for every way a connection fails; the cause stays attached for the operator's logs. */
    private static BitbucketUnreachableException unreachable(String method, URI uri, Exception cause) {
        return new BitbucketUnreachableException(method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + " unreachable", cause);
    }

    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    private static Optional<Duration> seconds(String retryAfter) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static JsonNode readJsonOrNull(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    /** One URL path segment, escaped (Cloud hook uids keep their braces, escaped). */
    public static String segment(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A field's text, or null when absent or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private record TlsKey(String caPem, boolean insecure) {
        TlsKey {
            caPem = caPem == null || caPem.isBlank() ? null : caPem.strip();
        }
    }
}
