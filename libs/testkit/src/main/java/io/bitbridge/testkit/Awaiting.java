package io.bitbridge.testkit;

import java.time.Duration;

/** Retries an assertion until it holds or the time is up (the last failure is rethrown). */
public final class Awaiting {
    private Awaiting() {
    }

    public static void until(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
