package io.bitbridge.gitops.messaging;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;
import io.bitbridge.events.GitOpsCommitResult;
import io.bitbridge.events.GitOpsSyncEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes gitops-writer's events and waits for Kafka's acknowledgement (callers run on worker threads). A result's
 * {@code ce_id} is derived from its request id, a sync event's is its event id: a republished one is recognisably
 * the same.
 */
@ApplicationScoped
public class ResultPublisher {
    static final String SOURCE = "/gitops-writer";

    private final EventPublisher publisher;

    ResultPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public void result(GitOpsCommitResult result) {
        send(EventType.GITOPS_COMMIT_RESULT, result.target(), "commit-result:" + result.requestId(), result.completedAt(), result);
    }

    public void sync(GitOpsSyncEvent event) {
        send(EventType.GITOPS_SYNC, event.target(), event.eventId(), event.observedAt(), event);
    }

    private void send(EventType type, String key, String id, Instant time, Record event) {
        try {
            publisher.publish(type, key, CloudEventHeaders.of(id, type, SOURCE, time), event).toCompletableFuture()
                    .get(publisher.deliveryTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to " + type.topic() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("publishing to " + type.topic() + " was not acknowledged in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + type.topic(), e);
        }
    }
}
