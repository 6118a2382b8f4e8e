package io.bitbridge.testkit;

import java.util.logging.Level;

/**
 * Logging for a JVM that Quarkus does not configure: a benchmark harness or an end-to-end test driving Kafka clients of
 * its own. The platform's slf4j binding (JBoss LogManager) lets every level through until it is configured, so Kafka's
 * producers and consumers would build each debug and trace message (one per record sent, per fetch) only for it to be
 * dropped: CPU taken from the processes being measured.
 */
public final class LibraryLogging {
    private LibraryLogging() {
    }

    /** Only INFO and above are built from here on. */
    public static void infoAndAbove() {
        org.jboss.logmanager.Logger.getLogger("").setLevel(Level.INFO);
    }
}
