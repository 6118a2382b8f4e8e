package io.bitbridge.fakes.common;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Locale;

/**
 * A misbehaviour armed for the next {@code times} matching calls.
 *
 * @param kind       what happens
 * @param status     the status answered for {@link Kind#STATUS} (429 gets the product's rate-limit response)
 * @param delay      added latency ({@link Kind#LATENCY}) or how long to hang ({@link Kind#HANG})
 * @param times      how many matching calls it affects
 * @param pathPrefix only calls whose raw path starts with this are affected (null: every call)
 */
public record Fault(Kind kind, int status, Duration delay, int times, String pathPrefix) {
    public enum Kind {
        /** Waits {@code delay}, then answers normally. */
        LATENCY,
        /** Answers {@code status} without doing the work. */
        STATUS,
        /** Drops the connection without any response bytes. */
        RESET,
        /** Sends nothing for {@code delay} (beyond any sane client timeout), then drops the connection. */
        HANG,
        /**
         * Does the work as usual, then sends nothing for {@code delay} and drops the connection: the server acted, the
         * answer never reached the client (a crash or a network cut after the request was processed).
         */
        LOST_RESPONSE
    }

    public Fault {
        if (times < 1) {
            throw new IllegalArgumentException("a fault must affect at least one call");
        }
        if (kind == Kind.STATUS && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("a status fault needs a 4xx/5xx status, got " + status);
        }
        delay = delay == null ? Duration.ZERO : delay;
    }

    public static Fault latency(Duration delay, int times) {
        return new Fault(Kind.LATENCY, 0, delay, times, null);
    }

    public static Fault status(int status, int times) {
        return new Fault(Kind.STATUS, status, Duration.ZERO, times, null);
    }

    public static Fault rateLimited(int times) {
        return status(429, times);
    }

    public static Fault reset(int times) {
        return new Fault(Kind.RESET, 0, Duration.ZERO, times, null);
    }

    public static Fault hang(Duration delay, int times) {
        return new Fault(Kind.HANG, 0, delay, times, null);
    }

    public static Fault lostResponse(Duration delay, int times) {
        return new Fault(Kind.LOST_RESPONSE, 0, delay, times, null);
    }

    /** The same fault, limited to paths starting with {@code prefix}. */
    public Fault onPath(String prefix) {
        return new Fault(kind, status, delay, times, prefix);
    }

    Fault consumedOnce() {
        return new Fault(kind, status, delay, times - 1, pathPrefix);
    }

    boolean matches(String rawPath) {
        return pathPrefix == null || rawPath.startsWith(pathPrefix);
    }

    /**
     * Reads {@code {"kind":"status|latency|reset|hang|lost_response|rate_limit","status":503,"millis":200,"times":2,
     * "path_prefix":"/2.0/"}} (the {@code /_sandbox/faults} body).
     */
    public static Fault fromJson(JsonNode json) {
        String kind = json.path("kind").asText("").toLowerCase(Locale.ROOT);
        int times = json.path("times").asInt(1);
        Duration delay = Duration.ofMillis(json.path("millis").asLong(0));
        Fault fault = switch (kind) {
            case "latency" -> latency(delay, times);
            case "status" -> status(json.path("status").asInt(500), times);
            case "rate_limit" -> rateLimited(times);
            case "reset" -> reset(times);
            case "hang" -> hang(delay.isZero() ? Duration.ofSeconds(60) : delay, times);
            case "lost_response" -> lostResponse(delay.isZero() ? Duration.ofSeconds(60) : delay, times);
            default -> throw new IllegalArgumentException(
                    "kind must be one of latency, status, rate_limit, reset, hang, lost_response; got '" + kind + "'");
        };
        String prefix = json.path("path_prefix").asText(null);
        return prefix == null ? fault : fault.onPath(prefix);
    }

    public JsonNode toJson() {
        var node = FakeJson.object()
                .put("kind", kind.name().toLowerCase(Locale.ROOT))
                .put("times", times)
                .put("millis", delay.toMillis());
        if (kind == Kind.STATUS) {
            node.put("status", status);
        }
        if (pathPrefix != null) {
            node.put("path_prefix", pathPrefix);
        }
        return node;
    }
}
