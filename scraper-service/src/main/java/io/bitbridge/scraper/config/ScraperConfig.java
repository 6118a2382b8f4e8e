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

    Discovery discovery();

    /** Repository discovery: how often each credential's listing is read again (on top of its lifecycle events). */
    interface Discovery {
        /** A credential whose last scrape started longer ago than this is scraped again by the schedule. */
        @WithDefault("1h")
        Duration interval();

        /**
         * How often the schedule looks for credentials due for a scrape: a duration ({@code 1m}), or {@code off}. Read by
         * the {@code @Scheduled} expression; declared here so it is validated and documented with the rest.
         */
        @WithDefault("1m")
        String checkEvery();

        /** How many credentials are scraped at once in the background (lifecycle events, schedule). */
        @WithDefault("2")
        @Positive
        int concurrency();

        /**
         * Server / Data Center: the most default-branch reads (one call per repository) one scrape makes, for repositories
         * new to the store or whose default branch is still unknown (an admin's refresh re-reads known ones too), those
         * never read or read longest ago first; the rest wait for the next scrape, so a scrape stays within the budget.
         */
        @WithDefault("20")
        @Min(0)
        int defaultBranchReads();

        /** The most branches {@code GET …/repositories/{owner}/{slug}/branches} answers (it says when there were more). */
        @WithDefault("1000")
        @Positive
        int branchCap();
    }

    interface Expansion {
        /**
         * The most commits listed for one ref change; a change with more keeps the newest this many and stays marked
         * incomplete, with a note.
         */
        @WithDefault("1000")
        @Min(1)
        int commitCap();

        /**
         * Also list each commit's own changed paths ({@code Commit.paths}): one call per commit, which the request
         * budget pays for (Bitbucket Cloud allows about 1,000 such calls per hour per user), so off unless asked for.
         */
        @WithDefault("false")
        boolean perCommitPaths();
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
