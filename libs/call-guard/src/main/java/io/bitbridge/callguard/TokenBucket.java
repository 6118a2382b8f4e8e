package io.bitbridge.callguard;

import java.time.Duration;

/**
 * A token bucket: {@code capacity} requests at once, refilled at {@code perHour}. {@link #reserve()} takes a token now
 * and says how long the caller must wait before using it (zero when one was available), so callers queue fairly;
 * {@link #tryTake()} takes one only if it is there, for callers that refuse rather than wait.
 * The clock is {@link System#nanoTime()} unless a test supplies its own.
 */
public final class TokenBucket {
    public interface Clock {
        long nanos();
    }

    private final double capacity;
    private final double tokensPerNano;
    private final Clock clock;
    private double tokens;
    private long updatedAt;

    public TokenBucket(int capacity, int perHour, Clock clock) {
        this.capacity = capacity;
        this.tokensPerNano = perHour / (double) Duration.ofHours(1).toNanos();
        this.clock = clock;
        this.tokens = capacity;
        this.updatedAt = clock.nanos();
    }

    /** Takes one token (possibly one not yet refilled) and returns how long to wait until it is there. */
    public synchronized Duration reserve() {
        refill();
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / tokensPerNano));
    }

    /** Takes one token if one is there now; never goes into debt. */
    public synchronized boolean tryTake() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Gives back a token reserved but not used (the caller would have waited too long). */
    public synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }

    private void refill() {
        long now = clock.nanos();
        tokens = Math.min(capacity, tokens + (now - updatedAt) * tokensPerNano);
        updatedAt = now;
    }
}
