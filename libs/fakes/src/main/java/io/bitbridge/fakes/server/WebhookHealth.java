package io.bitbridge.fakes.server;

import io.bitbridge.fakes.common.DeliveryAttempt;
import java.time.Duration;

/**
 * Data Center's per-hook circuit breaker: after {@code threshold} failures in a row a hook is skipped, first for
 * the initial period, doubling on each further failure up to 10 hours; a success closes it again. Also keeps
 * the latest attempt for {@code webhooks/{id}/latest}.
 */
final class WebhookHealth {

    static final Duration MAX_SKIP = Duration.ofHours(10);

    private int consecutiveFailures;
    private long skipUntil;
    private Duration nextSkip;
    private DeliveryAttempt latest;
    private int skipped;

    synchronized boolean skips(long now) {
        if (now < skipUntil) {
            skipped++;
            return true;
        }
        return false;
    }

    synchronized void record(DeliveryAttempt attempt, int threshold, Duration initialSkip, long now) {
        latest = attempt;
        if (attempt.succeeded()) {
            consecutiveFailures = 0;
            nextSkip = null;
            skipUntil = 0;
            return;
        }
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            Duration skip = nextSkip == null ? initialSkip : nextSkip;
            skipUntil = now + skip.toMillis();
            Duration doubled = skip.multipliedBy(2);
            nextSkip = doubled.compareTo(MAX_SKIP) > 0 ? MAX_SKIP : doubled;
        }
    }

    synchronized DeliveryAttempt latest() {
        return latest;
    }

    synchronized int skipped() {
        return skipped;
    }
}
