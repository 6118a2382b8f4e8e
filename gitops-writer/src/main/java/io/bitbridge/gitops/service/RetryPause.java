package io.bitbridge.gitops.service;

import io.bitbridge.gitops.config.GitOpsConfig;

import java.util.concurrent.ThreadLocalRandom;

/** The wait before retrying a commit whose branch moved: full jitter up to the doubled backoff, so racing writers spread out. */
final class RetryPause {
    private RetryPause() {
    }

    static void before(int attempt, GitOpsConfig config) {
        long cap = Math.min(config.retryBackoffMax().toMillis(), config.retryBackoff().toMillis() << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
