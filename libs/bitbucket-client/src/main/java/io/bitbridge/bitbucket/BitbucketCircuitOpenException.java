package io.bitbridge.bitbucket;

import io.bitbridge.callguard.CircuitOpenException;

import java.time.Duration;

/**
 * The circuit breaker of this Bitbucket endpoint is open after repeated outages: the request was not sent. A
 * {@link BitbucketUnreachableException}, so callers that handle "cannot reach Bitbucket" handle it too.
 */
public class BitbucketCircuitOpenException extends BitbucketUnreachableException {
    private final CircuitOpenException open;

    public BitbucketCircuitOpenException(CircuitOpenException open) {
        super(open.getMessage(), open);
        this.open = open;
    }

    /** How long until the breaker lets a trial request through again. */
    public Duration retryAfter() {
        return open.retryAfter();
    }
}
