package io.bitbridge.scraper.client;

import io.bitbridge.callguard.TokenBucket;
import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.RequestPacing;
import io.bitbridge.scraper.config.ScraperConfig;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One credential's pacing: every request takes a token from its budget (waiting when it is spent, failing with
 * {@link RequestBudgetExhaustedException} beyond the configured wait), and a 429 is retried after an exponential
 * backoff with full jitter (Bitbucket's 429 carries no Retry-After, docs/bitbucket-api-notes.md §6); each retry takes a
 * token too; a Retry-After (Data Center sends one) is honoured when it asks for longer. Blocking.
 */
final class CredentialPacing implements RequestPacing {
    private final TokenBucket budget;
    private final ScraperConfig.Budget budgetConfig;
    private final ScraperConfig.RateLimit rateLimit;

    CredentialPacing(ScraperConfig config, TokenBucket.Clock clock) {
        this.budgetConfig = config.budget();
        this.rateLimit = config.rateLimit();
        this.budget = new TokenBucket(budgetConfig.burst(), budgetConfig.requestsPerHour(), clock);
    }

    @Override
    public <T> T call(Supplier<T> request) {
        for (int retry = 0; ; retry++) {
            takeToken();
            try {
                return request.get();
            } catch (BitbucketApiException e) {
                if (e.status() != 429 || retry >= rateLimit.maxRetries()) {
                    throw e;
                }
                // Data Center sends Retry-After with its 429; Cloud does not
                Duration backoff = backoff(retry);
                sleep(e.retryAfter().filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff));
            }
        }
    }

    /** Full jitter: uniformly up to initial × 2^retry, capped. */
    Duration backoff(int retry) {
        long ceiling = Math.min(rateLimit.maxBackoff().toMillis(), rateLimit.initialBackoff().toMillis() << Math.min(retry, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    private void takeToken() {
        Duration wait = budget.reserve();
        if (wait.compareTo(budgetConfig.maxWait()) > 0) {
            budget.giveBack();
            throw new RequestBudgetExhaustedException(wait);
        }
        sleep(wait);
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing Bitbucket requests", e);
        }
    }
}
