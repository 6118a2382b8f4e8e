package io.bitbridge.buildtrigger.messaging;

import io.bitbridge.buildtrigger.service.TriggerService;
import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.Topics;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes expanded pushes; the offset is committed only after every decision of the push is stored and published.
 * Key-ordered: one repository's pushes in order, different repositories' side by side (see {@link IncomingEvents}).
 */
@ApplicationScoped
public class PushListener {
    private final IncomingEvents incoming;
    private final TriggerService service;

    PushListener(IncomingEvents incoming, TriggerService service) {
        this.incoming = incoming;
        this.service = service;
    }

    @Incoming(Topics.PUSH_EXPANDED)
    @Blocking(ordered = false)
    void consume(ConsumerRecord<byte[], byte[]> record) {
        incoming.consumeBlockingInKeyOrder(record, PushEvent.class, received -> service.onPush(received.event()));
    }
}
