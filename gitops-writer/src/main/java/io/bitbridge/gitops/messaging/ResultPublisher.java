package io.bitbridge.gitops.messaging;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;
import io.bitbridge.events.GitOpsCommitResult;
import io.bitbridge.events.GitOpsSyncEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

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
        publisher.publishAndWait(type, key, CloudEventHeaders.of(id, type, SOURCE, time), event);
    }
}
