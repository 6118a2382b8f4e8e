package io.bitbridge.buildtrigger.messaging;

import io.bitbridge.buildtrigger.service.TriggerService;
import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes expanded pushes; the offset is committed only after every decision of the push is stored and published. */
@ApplicationScoped
public class PushListener {
    private final IncomingEvents incoming;
    private final TriggerService service;

    PushListener(IncomingEvents incoming, TriggerService service) {
        this.incoming = incoming;
        this.service = service;
    }

    @Incoming(Topics.PUSH_EXPANDED)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consumeBlocking(record, PushEvent.class, received -> service.onPush(received.event()));
    }
}
