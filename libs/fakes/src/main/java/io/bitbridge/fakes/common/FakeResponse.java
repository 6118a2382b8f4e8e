package io.bitbridge.fakes.common;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fully buffered HTTP response produced by a fake. */
public final class FakeResponse {
    private final int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final byte[] body;

    public FakeResponse(int status, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
    }

    public static FakeResponse json(int status, Object body) {
        return new FakeResponse(status, FakeJson.bytes(body)).header("Content-Type", "application/json");
    }

    public static FakeResponse text(int status, String body) {
        return new FakeResponse(status, body.getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", "text/plain; charset=utf-8");
    }

    public static FakeResponse bytes(int status, String contentType, byte[] body) {
        return new FakeResponse(status, body).header("Content-Type", contentType);
    }

    public static FakeResponse empty(int status) {
        return new FakeResponse(status, new byte[0]);
    }

    /** Adds a header value (a repeated name keeps every value). */
    public FakeResponse header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public String header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0))
                .findFirst().orElse(null);
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
