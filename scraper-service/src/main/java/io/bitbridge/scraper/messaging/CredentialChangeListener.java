package io.bitbridge.scraper.messaging;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Forgets a credential's held authorization on any {@code credentials.lifecycle.v1} event for it (reconnected, down,
 * deleted...), so the next push asks credential-service again instead of reusing a token for up to its max age. Every
 * instance holds its own authorizations, so each reads every event (its own consumer group).
 */
@ApplicationScoped
public class CredentialChangeListener {
    private final IncomingEvents incoming;
    private final CredentialAuthorizations authorizations;

    CredentialChangeListener(IncomingEvents incoming, CredentialAuthorizations authorizations) {
        this.incoming = incoming;
        this.authorizations = authorizations;
    }

    @Incoming(Topics.CREDENTIALS_LIFECYCLE)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consume(record, CredentialLifecycleEvent.class, this::onEvent);
    }

    private Uni<Void> onEvent(ReceivedEvent<CredentialLifecycleEvent> received) {
        authorizations.forget(received.event().credentialId());
        return Uni.createFrom().voidItem();
    }
}
