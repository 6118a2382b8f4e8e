package io.bitbridge.callguard;

import java.time.Duration;

/** The endpoint's circuit breaker is open: the call was not made. {@code retryAfter}: until a trial attempt is let through. */
public class CircuitOpenException extends RuntimeException {
    private final String endpoint;
    private final Duration retryAfter;

    /** {@code system} names what is called (e.g. "Bitbucket"), {@code endpoint} which of its endpoints. */
    public CircuitOpenException(String system, String endpoint, Duration retryAfter, Throwable cause) {
        super(system + " at " + endpoint + " failed repeatedly; calls to it are paused for " + retryAfter.toSeconds() + " s", cause);
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
