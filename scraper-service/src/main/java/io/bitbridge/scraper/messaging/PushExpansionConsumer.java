package io.bitbridge.scraper.messaging;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.common.messaging.SeenEvents;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventType;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.Topics;
import io.bitbridge.scraper.service.PushExpander;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * {@code bitbucket.push.v1} in, {@code bitbucket.push.expanded.v1} out: the same delivery id ({@code ce_id}), record
 * key and event time, so a redelivered push expands to the same event and consumers de-duplicate it. A push whose
 * event id was already expanded within the window (a Bitbucket retry, or a captured body replayed under a new delivery
 * id) is skipped ({@link SeenEvents}): no second expansion against Bitbucket, no second expanded event. A transient
 * failure is retried and then dead-lettered by {@link IncomingEvents}; the partition keeps moving. Key-ordered: one
 * repository's pushes in order, different repositories' side by side.
 */
@ApplicationScoped
public class PushExpansionConsumer {
    static final String SOURCE = "/scraper-service/push-expansion";

    private final IncomingEvents incoming;
    private final PushExpander expander;
    private final EventPublisher publisher;
    private final SeenEvents seen;

    PushExpansionConsumer(IncomingEvents incoming, PushExpander expander, EventPublisher publisher, SeenEvents seen) {
        this.incoming = incoming;
        this.seen = seen;
        this.expander = expander;
        this.publisher = publisher;
    }

    @Incoming(Topics.PUSH)
    @Blocking(ordered = false)
    void consume(ConsumerRecord<byte[], byte[]> record) {
        incoming.consumeInKeyOrder(record, PushEvent.class, seen.once(this::onPush));
    }

    private Uni<Void> onPush(ReceivedEvent<PushEvent> received) {
        return Uni.createFrom().item(() -> expander.expand(received.event()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(expanded -> Uni.createFrom().completionStage(() -> publisher.publish(EventType.PUSH_EXPANDED,
                        received.key(), CloudEventHeaders.of(received.id(), EventType.PUSH_EXPANDED, SOURCE,
                                received.cloudEvent().time()), expanded)));
    }
}
