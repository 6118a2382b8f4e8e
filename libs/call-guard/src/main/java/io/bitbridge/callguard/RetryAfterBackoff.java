package io.bitbridge.callguard;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * SmallRye's custom backoff for one call: what the failure's Retry-After asks (capped), else an exponential backoff
 * with "equal jitter" (half the step fixed, half random), so callers that failed together do not retry together.
 */
final class RetryAfterBackoff implements CustomBackoffStrategy {
    private final CallPolicy policy;
    private final FailureKinds failures;
    private long step;

    RetryAfterBackoff(CallPolicy policy, FailureKinds failures) {
        this.policy = policy;
        this.failures = failures;
    }

    @Override
    public void init(long initialDelayInMillis) {
        step = initialDelayInMillis;
    }

    @Override
    public long nextDelayInMillis(Throwable failure) {
        long exponential = Math.min(step, policy.maxBackoff().toMillis());
        step = Math.min(step * 2, policy.maxBackoff().toMillis());
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        return failures.retryAfter(failure)
                .map(asked -> Math.min(Math.max(asked.toMillis(), 0), policy.maxRetryAfter().toMillis()))
                .orElse(jittered);
    }
}
