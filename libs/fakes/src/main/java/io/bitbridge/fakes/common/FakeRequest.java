package io.bitbridge.fakes.common;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A fully buffered HTTP request as a fake sees it. Header names are case-insensitive. */
public final class FakeRequest {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Instant receivedAt;
    private final Map<String, List<String>> query;
    private final List<String> segments;

    public FakeRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        this.rawQuery = rawQuery;
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        this.headers = Collections.unmodifiableMap(lower);
        this.body = body == null ? new byte[0] : body;
        this.receivedAt = Instant.now();
        this.query = FormData.parseUrlEncoded(rawQuery);
        List<String> parts = new ArrayList<>();
        for (String segment : this.rawPath.split("/")) {
            if (!segment.isEmpty()) {
                parts.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        this.segments = List.copyOf(parts);
    }

    public String method() {
        return method;
    }

    /** The path as sent (still percent-encoded). */
    public String rawPath() {
        return rawPath;
    }

    public String rawQuery() {
        return rawQuery;
    }

    /** The decoded path segments, e.g. {@code ["2.0", "repositories", "acme", "game"]}. */
    public List<String> segments() {
        return segments;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Map<String, List<String>> queryParameters() {
        return query;
    }

    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        return FakeJson.parse(body);
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public String contentType() {
        String value = header("Content-Type");
        return value == null ? "" : value;
    }

    /** The body as a form: multipart/form-data or application/x-www-form-urlencoded. */
    public FormData form() {
        return FormData.parse(contentType(), body);
    }

    /** {@code [user, password]} from {@code Authorization: Basic ...}, if present and well formed. */
    public Optional<String[]> basicCredentials() {
        String value = authorization("basic");
        if (value == null) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** The token of {@code Authorization: Bearer ...}, if present. */
    public Optional<String> bearerToken() {
        return Optional.ofNullable(authorization("bearer")).map(String::trim).filter(t -> !t.isEmpty());
    }

    private String authorization(String scheme) {
        String value = header("Authorization");
        if (value == null) {
            return null;
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase(scheme)) {
            return null;
        }
        return value.substring(space + 1);
    }
}
