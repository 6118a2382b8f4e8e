package io.bitbridge.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * The one place both products' clients send HTTP: JSON in and out, the credential's TLS trust, timeouts,
 * Bitbucket's error reason on failure. One JDK client per distinct TLS setting, reused.
 */
public final class BitbucketHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final int ATTEMPTS = 3;
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
    private static final Map<TlsKey, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private final BitbucketEndpoint endpoint;
    private final BitbucketCallGuard guard;
    private final String origin;
    private final HttpClient client;

    public BitbucketHttp(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCallGuard.NONE);
    }

    /** {@code guard} wraps every attempt (its circuit breaker sees each one). */
    public BitbucketHttp(BitbucketEndpoint endpoint, BitbucketCallGuard guard) {
        this.endpoint = endpoint;
        this.guard = guard;
        this.origin = BitbucketCallGuard.origin(endpoint.apiBaseUrl());
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

    public Reply get(URI absolute) {
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

    /**
     * Sends once, and again (at most {@link #ATTEMPTS} in all) when Bitbucket answers 429 or 5xx or cannot be
     * reached, for GET, PUT and DELETE only: they repeat safely, while a repeated POST could create a second hook.
     * Waits what {@code Retry-After} asks (capped), else a jittered exponential backoff. Each attempt goes through the
     * {@link BitbucketCallGuard}; once its breaker is open nothing is retried.
     */
    private Reply send(String method, URI uri, Object body) {
        boolean repeatable = !"POST".equals(method);
        for (int attempt = 1; ; attempt++) {
            try {
                return guard.call(origin, () -> sendOnce(method, uri, body));
            } catch (BitbucketCircuitOpenException e) {
                throw e;
            } catch (BitbucketApiException e) {
                if (!repeatable || !e.retryable() || attempt == ATTEMPTS) {
                    throw e;
                }
                pause(e.retryAfter().orElse(backoff(attempt)));
            } catch (BitbucketUnreachableException e) {
                if (!repeatable || attempt == ATTEMPTS) {
                    throw e;
                }
                pause(backoff(attempt));
            }
        }
    }

    private static Duration backoff(int attempt) {
        long base = BACKOFF.toMillis() << (attempt - 1);
        return Duration.ofMillis(base + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(Math.min(wait.toMillis(), MAX_RETRY_AFTER.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BitbucketUnreachableException("interrupted while waiting to retry", e);
        }
    }

    private Reply sendOnce(String method, URI uri, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", endpoint.authorization())
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status >= 400) {
                String reason = ErrorEnvelope.reason(response.body());
                throw new BitbucketApiException(status, reason == null || reason.isBlank() ? "HTTP " + status : reason,
                        response.headers().firstValue("Retry-After").flatMap(BitbucketHttp::seconds).orElse(null));
            }
            byte[] bytes = response.body();
            JsonNode json = bytes == null || bytes.length == 0 ? JSON.nullNode() : readJsonOrNull(bytes);
            return new Reply(status, json, response);
        } catch (IOException e) {
            // the exception text may name the host; it never holds the Authorization header
            throw new BitbucketUnreachableException(method + " " + uri.getScheme() + "://" + uri.getAuthority()
                    + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BitbucketUnreachableException(method + " " + uri.getAuthority() + " interrupted", e);
        }
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
