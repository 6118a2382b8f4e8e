package io.bitbridge.callguard;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    private final AtomicLong now = new AtomicLong();
    private final TokenBucket bucket = new TokenBucket(3, 3600, now::get);

    @Test
    void aFullBucketServesItsBurstAtOnceThenOneRequestPerRefill() {
        assertEquals(Duration.ZERO, bucket.reserve());
        assertEquals(Duration.ZERO, bucket.reserve());
        assertEquals(Duration.ZERO, bucket.reserve());
        assertEquals(Duration.ofSeconds(1), bucket.reserve());
        assertEquals(Duration.ofSeconds(2), bucket.reserve(), "callers queue behind each other");
    }

    @Test
    void refillsOverTimeButNeverBeyondItsCapacity() {
        for (int i = 0; i < 3; i++) {
            bucket.reserve();
        }
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, bucket.reserve());
        }
        assertEquals(Duration.ofSeconds(1), bucket.reserve());
    }

    @Test
    void aTokenGivenBackServesTheNextCaller() {
        for (int i = 0; i < 3; i++) {
            bucket.reserve();
        }
        Duration wait = bucket.reserve();
        bucket.giveBack();
        assertEquals(wait, bucket.reserve());
    }

    @Test
    void tryTakeRefusesInsteadOfGoingIntoDebt() {
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake());
        }
        assertFalse(bucket.tryTake());
        assertFalse(bucket.tryTake());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(bucket.tryTake(), "a refused try costs nothing: one second refills exactly one token");
        assertFalse(bucket.tryTake());
    }
}
