package io.bitbridge.credentials.messaging;

import io.bitbridge.credentials.client.OnContext;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes {@code credentials.lifecycle.v1}: keyed by credential id (the topic is compacted, the latest state
 * per credential survives), CloudEvents headers, and never a secret, because the record has no field for one.
 */
@ApplicationScoped
public class LifecycleEvents {
    private static final String SOURCE = "/bitbridge/credential-service";

    @Channel("credentials-lifecycle")
    Emitter<byte[]> emitter;

    public Uni<Void> publish(Credential credential, CredentialLifecycleEvent.Type type) {
        Instant now = Instant.now();
        CredentialLifecycleEvent event = new CredentialLifecycleEvent(UUID.randomUUID().toString(), credential.id.toString(), type,
                credential.kind, credential.name, credential.status, credential.statusReason, credential.apiBaseUrl,
                credential.accountUsername == null ? credential.accountId : credential.accountUsername, now);
        CloudEventHeaders headers = CloudEventHeaders.of(event.eventId(), EventType.CREDENTIAL_LIFECYCLE, SOURCE, now);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<byte[]> message = Message.of(EventJson.toBytes(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.credentialId())
                        .withHeaders(headers.toKafkaHeaders())
                        .build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return OnContext.resume(Uni.createFrom().completionStage(acked));
    }
}
