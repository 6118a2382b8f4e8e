package io.bitbridge.callguard;

import java.time.Duration;

/** The endpoint's circuit breaker is open: the call was not made. {@code retryAfter}: until a trial attempt is let through. */
public class CircuitOpenException extends RuntimeException {
    private final String endpoint;
    private final Duration retryAfter;

    public CircuitOpenException(String endpoint, Duration retryAfter, Throwable cause) {
        super(endpoint + " failed repeatedly; calls to it are paused for " + retryAfter.toSeconds() + " s", cause);
        this.endpoint = endpoint;
        this.retryAfter = retryAfter;
    }

    public String endpoint() {
        return endpoint;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
