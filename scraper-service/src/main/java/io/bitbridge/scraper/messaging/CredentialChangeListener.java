package io.bitbridge.scraper.messaging;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.Topics;
import io.bitbridge.scraper.discovery.RepositoryDiscovery;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Forgets a credential's held authorization on any {@code credentials.lifecycle.v1} event for it (reconnected, down,
 * deleted...), so the next push asks credential-service again instead of reusing a token for up to its max age. Every
 * instance holds its own authorizations, so each reads every event (its own consumer group). Then hands the event to
 * {@link RepositoryDiscovery}, where one instance claims the scrape (or removal) it asks for.
 */
@ApplicationScoped
public class CredentialChangeListener {
    private final IncomingEvents incoming;
    private final CredentialAuthorizations authorizations;
    private final RepositoryDiscovery discovery;

    CredentialChangeListener(IncomingEvents incoming, CredentialAuthorizations authorizations, RepositoryDiscovery discovery) {
        this.incoming = incoming;
        this.authorizations = authorizations;
        this.discovery = discovery;
    }

    @Incoming(Topics.CREDENTIALS_LIFECYCLE)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consume(record, CredentialLifecycleEvent.class, this::onEvent);
    }

    private Uni<Void> onEvent(ReceivedEvent<CredentialLifecycleEvent> received) {
        authorizations.forget(received.event().credentialId());
        return discovery.onLifecycle(received.event());
    }
}
