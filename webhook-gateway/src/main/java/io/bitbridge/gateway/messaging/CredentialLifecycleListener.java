package io.bitbridge.gateway.messaging;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.Topics;
import io.bitbridge.gateway.service.WebhookSecretsCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.UUID;

/**
 * Fetches a credential's webhook secrets again whenever credential-service announces any change to it (rotation,
 * deletion, status); the cached ones serve until the new answer is in. Every gateway instance reads every event (its
 * own consumer group). An unreadable event is dead-lettered and counted by {@link IncomingEvents} and changes nothing
 * here: emptying the cache on it would let one bad record turn a credential-service outage into refused deliveries.
 */
@ApplicationScoped
public class CredentialLifecycleListener {
    private final IncomingEvents incoming;
    private final WebhookSecretsCache secrets;

    CredentialLifecycleListener(IncomingEvents incoming, WebhookSecretsCache secrets) {
        this.incoming = incoming;
        this.secrets = secrets;
    }

    @Incoming(Topics.CREDENTIALS_LIFECYCLE)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consume(record, CredentialLifecycleEvent.class, this::onEvent);
    }

    private Uni<Void> onEvent(ReceivedEvent<CredentialLifecycleEvent> received) {
        String credentialId = received.event().credentialId();
        try {
            if (credentialId != null) {
                secrets.refresh(UUID.fromString(credentialId));
            }
        } catch (IllegalArgumentException e) {
            // Not a credential id any webhook URL can carry: nothing of it is cached.
        }
        return Uni.createFrom().voidItem();
    }
}
