package io.bitbridge.fakes.common;

import java.time.Duration;
import java.util.function.IntPredicate;

/**
 * How a product retries a webhook delivery.
 *
 * @param maxAttempts        attempts in total, the first included
 * @param retryableStatus    which response statuses are retried
 * @param retryNetworkErrors whether a timeout or connection failure is retried
 * @param delay              pause between attempts
 * @param timeout            per-attempt request timeout
 * @param attemptHeader      header carrying the 1-based attempt number, or null for none
 */
public record RetryPolicy(int maxAttempts, IntPredicate retryableStatus, boolean retryNetworkErrors, Duration delay,
                          Duration timeout, String attemptHeader) {
    /**
     * Bitbucket Cloud (docs/bitbucket-api-notes.md §2): only 5xx is resent, 3 attempts in total, no delay, 10 s timeout,
     * {@code X-Attempt-Number} 1, 2, 3; timeouts and network errors are not resent.
     */
    public static RetryPolicy bitbucketCloud() {
        return new RetryPolicy(3, status -> status >= 500 && status <= 599, false, Duration.ZERO,
                Duration.ofSeconds(10), "X-Attempt-Number");
    }

    public static RetryPolicy noRetries(Duration timeout) {
        return new RetryPolicy(1, status -> false, false, Duration.ZERO, timeout, null);
    }
}
