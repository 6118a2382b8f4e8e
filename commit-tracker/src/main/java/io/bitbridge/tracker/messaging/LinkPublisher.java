package io.bitbridge.tracker.messaging;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes new task links on {@code tasks.links.v1}, keyed by task key, {@code ce_id} = link id. Called inside the
 * transaction that created the links, so a link is stored only once Kafka acknowledged its event; if the transaction
 * then fails, the retry finds the link new again and sends it again under the same {@code ce_id}. A replay creates
 * no link and so sends nothing.
 */
@ApplicationScoped
public class LinkPublisher {
    static final String SOURCE = "/commit-tracker";

    private final EventPublisher publisher;

    LinkPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Sends them all at once (the producer batches them; per task key, in order) and completes when all are acknowledged. */
    public Uni<Void> publish(List<TaskLink> created) {
        if (created.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> CompletableFuture.allOf(created.stream()
                .map(link -> publisher.publish(EventType.TASK_LINK, link.taskKey(),
                        CloudEventHeaders.of(link.linkId(), EventType.TASK_LINK, SOURCE, link.linkedAt()), link.toEvent())
                        .toCompletableFuture())
                .toArray(CompletableFuture[]::new)));
    }
}
