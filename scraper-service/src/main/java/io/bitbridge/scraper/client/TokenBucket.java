package io.bitbridge.scraper.client;

import java.time.Duration;

/**
 * A token bucket: {@code capacity} requests at once, refilled at {@code perHour}. {@link #reserve()} takes a token now
 * and says how long the caller must wait before using it (zero when one was available), so callers queue fairly.
 * The clock is {@link System#nanoTime()} unless a test supplies its own.
 */
final class TokenBucket {
    interface Clock {
        long nanos();
    }

    private final double capacity;
    private final double tokensPerNano;
    private final Clock clock;
    private double tokens;
    private long updatedAt;

    TokenBucket(int capacity, int perHour, Clock clock) {
        this.capacity = capacity;
        this.tokensPerNano = perHour / (double) Duration.ofHours(1).toNanos();
        this.clock = clock;
        this.tokens = capacity;
        this.updatedAt = clock.nanos();
    }

    /** Takes one token (possibly one not yet refilled) and returns how long to wait until it is there. */
    synchronized Duration reserve() {
        long now = clock.nanos();
        tokens = Math.min(capacity, tokens + (now - updatedAt) * tokensPerNano);
        updatedAt = now;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / tokensPerNano));
    }

    /** Gives back a token reserved but not used (the caller would have waited too long). */
    synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }
}
