package io.bitbridge.scraper.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/** scraper-service's settings ({@code bitbridge.scraper.*}). */
@ConfigMapping(prefix = "bitbridge.scraper")
public interface ScraperConfig {
    Expansion expansion();

    Budget budget();

    RateLimit rateLimit();

    interface Expansion {
        /**
         * The most commits listed for one ref change; a change with more keeps the newest this many and stays marked
         * incomplete, with a note.
         */
        @WithDefault("1000")
        @Min(1)
        int commitCap();
    }

    /** The request budget of each credential: a token bucket refilled at {@code requestsPerHour}, holding {@code burst}. */
    interface Budget {
        @WithDefault("600")
        @Positive
        int requestsPerHour();

        @WithDefault("50")
        @Positive
        int burst();

        /** The longest one request waits for budget; beyond it the work fails (retried later by the consumer). */
        @WithDefault("60s")
        Duration maxWait();
    }

    /** After a 429 (Bitbucket sends no Retry-After): exponential backoff with full jitter, per credential. */
    interface RateLimit {
        @WithDefault("6")
        @Min(0)
        int maxRetries();

        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("2m")
        Duration maxBackoff();
    }
}
