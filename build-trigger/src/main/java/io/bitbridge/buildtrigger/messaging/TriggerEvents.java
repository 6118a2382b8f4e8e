package io.bitbridge.buildtrigger.messaging;

import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.BuildTriggerEvent;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Publishes every decision and every step of a build on builds.triggers.v1, keyed by repository key. */
@ApplicationScoped
public class TriggerEvents {
    private static final String SOURCE = "/bitbridge/build-trigger";

    private final EventPublisher publisher;

    TriggerEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Blocks until Kafka acknowledged, so a decision is on the topic before the push's offset is committed. */
    public void publish(TriggerRow row, BuildTriggerEvent.Status status, String reason) {
        Instant now = Instant.now();
        BuildTriggerEvent event = new BuildTriggerEvent(row.id().toString(), status, row.repositoryKey(), row.ref(), row.commit(),
                row.tag(), row.instance() == null ? "" : row.instance(), row.job(), row.parameters(), row.queueUrl(),
                row.buildUrl(), row.buildNumber(), reason, row.sourceDeliveryId(), now);
        publisher.publishAndWait(EventType.BUILD_TRIGGER, row.repositoryKey(),
                CloudEventHeaders.of(UUID.randomUUID().toString(), EventType.BUILD_TRIGGER, SOURCE, now), event);
    }
}
