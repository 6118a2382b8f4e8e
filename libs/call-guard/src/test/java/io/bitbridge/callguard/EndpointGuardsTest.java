package io.bitbridge.callguard;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard under SmallRye's standalone implementation, as in any plain JVM; attempts are plain functions. */
class EndpointGuardsTest {
    /** A transient failure, optionally asking for a wait as HTTP's Retry-After does. */
    static final class Unavailable extends RuntimeException {
        final Duration retryAfter;

        Unavailable(Duration retryAfter) {
            super("unavailable", null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    static final class Refused extends RuntimeException {
        Refused() {
            super("refused", null, false, false);
        }
    }

    private static final FailureKinds KINDS = new FailureKinds() {
        @Override
        public boolean transientFailure(Throwable failure) {
            return failure instanceof Unavailable;
        }

        @Override
        public Optional<Duration> retryAfter(Throwable failure) {
            return failure instanceof Unavailable u ? Optional.ofNullable(u.retryAfter) : Optional.empty();
        }
    };

    private static CallPolicy policy(int window, Duration breakerDelay) {
        return new CallPolicy(Duration.ofMillis(500), 2, Duration.ofMillis(40), Duration.ofMillis(200), Duration.ofSeconds(1),
                new CallPolicy.Breaker(window, 0.5, breakerDelay, 1));
    }

    @Test
    void transientFailuresAreRetriedWithGrowingJitteredPausesAndRefusalsAreNot() {
        EndpointGuards guards = new EndpointGuards("Test", policy(100, Duration.ofSeconds(5)), KINDS);
        List<Long> at = new CopyOnWriteArrayList<>();
        String answer = guards.call("a", true, () -> {
            at.add(System.nanoTime());
            if (at.size() < 3) {
                throw new Unavailable(null);
            }
            return "ok";
        });
        assertEquals("ok", answer);
        long first = Duration.ofNanos(at.get(1) - at.get(0)).toMillis();
        long second = Duration.ofNanos(at.get(2) - at.get(1)).toMillis();
        assertTrue(first >= 20 && first < 400, "first pause within [step/2, step] of 40 ms (plus scheduling): " + first);
        assertTrue(second >= 40, "the second step doubles: " + second);

        AtomicInteger refusals = new AtomicInteger();
        assertThrows(Refused.class, () -> guards.call("a", true, () -> {
            refusals.incrementAndGet();
            throw new Refused();
        }));
        assertEquals(1, refusals.get(), "a refusal is final");

        AtomicInteger tries = new AtomicInteger();
        assertThrows(Unavailable.class, () -> guards.call("a", true, () -> {
            tries.incrementAndGet();
            throw new Unavailable(null);
        }));
        assertEquals(3, tries.get(), "bounded: one attempt and two retries");
    }

    @Test
    void aRetryWaitsWhatRetryAfterAsksForAndANonRepeatableCallIsNeverRepeated() {
        EndpointGuards guards = new EndpointGuards("Test", policy(100, Duration.ofSeconds(5)), KINDS);
        List<Long> at = new CopyOnWriteArrayList<>();
        guards.call("b", true, () -> {
            at.add(System.nanoTime());
            if (at.size() == 1) {
                throw new Unavailable(Duration.ofMillis(700));
            }
            return "ok";
        });
        assertTrue(Duration.ofNanos(at.get(1) - at.get(0)).toMillis() >= 690, "waited the asked 700 ms, over the 200 ms backoff cap");

        AtomicInteger creates = new AtomicInteger();
        assertThrows(Unavailable.class, () -> guards.call("b", false, () -> {
            creates.incrementAndGet();
            throw new Unavailable(null);
        }));
        assertEquals(1, creates.get());
    }

    @Test
    void aSlowAttemptIsCutAtTheTimeoutAndTriedAgain() {
        EndpointGuards guards = new EndpointGuards("Test", policy(100, Duration.ofSeconds(5)).withAttemptTimeout(Duration.ofMillis(150)), KINDS);
        AtomicInteger attempts = new AtomicInteger();
        String answer = guards.call("c", true, () -> {
            if (attempts.incrementAndGet() == 1) {
                sleep(Duration.ofSeconds(5));
            }
            return "second";
        });
        assertEquals("second", answer);
        assertEquals(2, attempts.get());

        AttemptTimedOutException timedOut = assertThrows(AttemptTimedOutException.class, () -> guards.call("c", false, () -> {
            sleep(Duration.ofSeconds(5));
            return "never";
        }));
        assertTrue(timedOut.getMessage().contains("Test at c"), timedOut.getMessage());
    }

    @Test
    void anEndpointThatKeepsFailingIsCutOffAloneUntilTheDelayThenTriedAgain() {
        List<String> changes = new CopyOnWriteArrayList<>();
        EndpointGuards guards = new EndpointGuards("Test", policy(4, Duration.ofMillis(1500)), KINDS, new EndpointGuards.Listener() {
            @Override
            public void stateChanged(String endpoint, CircuitBreakerState state) {
                changes.add(endpoint + "=" + state);
            }
        });
        for (int i = 0; i < 4; i++) {
            assertThrows(Refused.class, () -> guards.call("d", false, () -> {
                throw new Refused();
            }));
        }
        assertEquals(CircuitBreakerState.CLOSED, guards.state("d"), "refusals never count");

        AtomicInteger sent = new AtomicInteger();
        RuntimeException last = assertThrows(RuntimeException.class, () -> guards.call("d", true, () -> {
            sent.incrementAndGet();
            throw new Unavailable(null);
        }));
        assertEquals(CircuitBreakerState.OPEN, guards.state("d"));
        assertInstanceOf(CircuitOpenException.class, last, "the retry that met the open breaker stops there");
        assertEquals(2, sent.get(), "two outages in a window of four opened it");

        CircuitOpenException open = assertThrows(CircuitOpenException.class, () -> guards.call("d", true, () -> {
            sent.incrementAndGet();
            return "sent";
        }));
        assertEquals(2, sent.get(), "nothing is sent while open");
        assertEquals(1, open.retryAfter().toSeconds());
        assertEquals("sent", guards.call("e", true, () -> "sent"), "another endpoint is not affected");

        sleep(Duration.ofMillis(1600));
        assertEquals("trial", guards.call("d", true, () -> "trial"));
        assertEquals(CircuitBreakerState.CLOSED, guards.state("d"));
        assertEquals(List.of("d=OPEN", "d=HALF_OPEN", "d=CLOSED"), changes);
        assertSame(CircuitBreakerState.CLOSED, guards.state("never-called"));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
