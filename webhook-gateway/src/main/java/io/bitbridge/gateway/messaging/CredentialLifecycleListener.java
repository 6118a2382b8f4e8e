package io.bitbridge.gateway.messaging;

import io.bitbridge.common.messaging.DeadLettered;
import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.Topics;
import io.bitbridge.gateway.service.WebhookSecretsCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Drops a credential's cached webhook secrets whenever credential-service announces any change to it
 * (rotation, deletion, status). Every gateway instance reads every event (its own consumer group).
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
        return secrets.forget(received.event().credentialId());
    }

    /** A lifecycle event the gateway could not read or apply: which credential changed is unknown, so forget them all. */
    void onDeadLetter(@Observes DeadLettered deadLettered) {
        if (deadLettered.topic().startsWith(Topics.CREDENTIALS_LIFECYCLE)) {
            secrets.forgetAll().subscribe().with(ignored -> { });
        }
    }
}
