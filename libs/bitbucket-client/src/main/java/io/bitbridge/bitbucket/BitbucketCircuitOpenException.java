package io.bitbridge.bitbucket;

import java.time.Duration;

/**
 * The circuit breaker of this Bitbucket endpoint is open after repeated outages: the request was not sent.
 * {@code retryAfter} is how long until the breaker lets a trial request through again.
 */
public class BitbucketCircuitOpenException extends BitbucketUnreachableException {
    private final String origin;
    private final Duration retryAfter;

    public BitbucketCircuitOpenException(String origin, Duration retryAfter, Throwable cause) {
        super("Bitbucket at " + origin + " failed repeatedly; requests to it are paused for " + retryAfter.toSeconds() + " s", cause);
        this.origin = origin;
        this.retryAfter = retryAfter;
    }

    public String origin() {
        return origin;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
