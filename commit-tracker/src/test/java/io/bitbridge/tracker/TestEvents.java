package io.bitbridge.tracker;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Publishing test events on the tracker's input topics, as the gateway and scraper-service do. */
final class TestEvents {
    private TestEvents() {
    }

    /** Publishes {@code event} keyed by {@code key} with {@code ce_id} = {@code id}, and waits for Kafka's acknowledgement. */
    static void send(EventPublisher publisher, EventType type, String key, String id, Record event) {
        try {
            publisher.publish(type, key, CloudEventHeaders.of(id, type, "/test/commit-tracker", Instant.now()), event)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
