package io.bitbridge.tracker.messaging;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;
import io.bitbridge.tracker.repository.LinkOutbox;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes on {@code tasks.links.v1} (keyed by task key) the links of an event that were never published: new links
 * once, and after a failed publish the retried delivery sends what is still pending. A replay finds none pending.
 */
@ApplicationScoped
public class LinkPublisher {
    static final String SOURCE = "/commit-tracker";

    private final EventPublisher publisher;
    private final LinkOutbox outbox;

    LinkPublisher(EventPublisher publisher, LinkOutbox outbox) {
        this.publisher = publisher;
        this.outbox = outbox;
    }

    public Uni<Void> publishPending(List<TaskLink> links) {
        if (links.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = links.stream().map(TaskLink::linkId).toList();
        return outbox.unpublished(ids).chain(pending -> {
            if (pending.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            // All sent at once (the producer batches them; per task key, in order), then marked in one statement.
            CompletableFuture<?>[] sent = pending.stream().map(link -> publisher.publish(EventType.TASK_LINK, link.taskKey(),
                            CloudEventHeaders.of(link.linkId(), EventType.TASK_LINK, SOURCE, link.linkedAt()), link.toEvent())
                    .toCompletableFuture()).toArray(CompletableFuture[]::new);
            return Uni.createFrom().completionStage(() -> CompletableFuture.allOf(sent))
                    .chain(() -> outbox.markPublished(pending.stream().map(TaskLink::linkId).toList()));
        });
    }
}
