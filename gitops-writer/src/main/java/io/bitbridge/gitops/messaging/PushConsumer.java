package io.bitbridge.gitops.messaging;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.Topics;
import io.bitbridge.gitops.service.SyncBack;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Expanded pushes, for sync-back of edits made in a target's repository. */
@ApplicationScoped
public class PushConsumer {
    private final IncomingEvents incoming;
    private final SyncBack syncBack;

    PushConsumer(IncomingEvents incoming, SyncBack syncBack) {
        this.incoming = incoming;
        this.syncBack = syncBack;
    }

    @Incoming(Topics.PUSH_EXPANDED)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consumeBlocking(record, PushEvent.class, event -> syncBack.onPush(event.event()));
    }
}
