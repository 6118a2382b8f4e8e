package io.bitbridge.buildtrigger.messaging;

import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.BuildTriggerEvent;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

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
        await(publishLater(row, status, reason));
    }

    /** Sends without waiting; the stage completes when Kafka acknowledged. Later events of the row follow it on the topic. */
    public CompletionStage<Void> publishLater(TriggerRow row, BuildTriggerEvent.Status status, String reason) {
        Instant now = Instant.now();
        BuildTriggerEvent event = new BuildTriggerEvent(row.id().toString(), status, row.repositoryKey(), row.ref(), row.commit(),
                row.tag(), row.instance() == null ? "" : row.instance(), row.job(), row.parameters(), row.queueUrl(),
                row.buildUrl(), row.buildNumber(), reason, row.sourceDeliveryId(), now);
        return publisher.publish(EventType.BUILD_TRIGGER, row.repositoryKey(),
                CloudEventHeaders.of(UUID.randomUUID().toString(), EventType.BUILD_TRIGGER, SOURCE, now), event);
    }

    /** Waits for an event sent with {@link #publishLater}; fails as {@link EventPublisher#publishAndWait} does. */
    public void await(CompletionStage<Void> published) {
        try {
            published.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw new IllegalStateException("publishing to " + publisher.topic(EventType.BUILD_TRIGGER) + " failed", e.getCause());
        }
    }
}
