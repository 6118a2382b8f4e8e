package io.bitbridge.callguard;

import java.time.Duration;

/**
 * How calls to one kind of outside system are guarded: each attempt may take {@code attemptTimeout}; a repeatable call
 * is tried again at most {@code maxRetries} times after a transient failure, waiting what the system asked for
 * (Retry-After, capped at {@code maxRetryAfter}) or else an exponential backoff from {@code initialBackoff} up to
 * {@code maxBackoff} with jitter; {@code breaker} cuts off an endpoint that keeps failing.
 */
public record CallPolicy(Duration attemptTimeout, int maxRetries, Duration initialBackoff, Duration maxBackoff,
                         Duration maxRetryAfter, Breaker breaker) {

    /**
     * The circuit breaker of one endpoint: it looks at the latest {@code requestVolumeThreshold} attempts, opens when
     * {@code failureRatio} of them were transient failures, fails calls at once for {@code delay}, then closes after
     * {@code successThreshold} trial attempts succeeded.
     */
    public record Breaker(int requestVolumeThreshold, double failureRatio, Duration delay, int successThreshold) {
    }

    /** 15 s per attempt, 2 retries from 200 ms (at most 2 s, Retry-After at most 10 s); breaker 10 attempts, 50 %, 30 s, 1. */
    public static CallPolicy defaults() {
        return new CallPolicy(Duration.ofSeconds(15), 2, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10),
                new Breaker(10, 0.5, Duration.ofSeconds(30), 1));
    }

    public CallPolicy withBreaker(Breaker breaker) {
        return new CallPolicy(attemptTimeout, maxRetries, initialBackoff, maxBackoff, maxRetryAfter, breaker);
    }

    public CallPolicy withAttemptTimeout(Duration attemptTimeout) {
        return new CallPolicy(attemptTimeout, maxRetries, initialBackoff, maxBackoff, maxRetryAfter, breaker);
    }
}
