package io.bitbridge.credentials.messaging;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentials.client.OnContext;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.repository.OutboxEvent;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code credentials.lifecycle.v1} through a transactional outbox: {@link #record} writes the event in the
 * caller's transaction, {@link #flush} publishes what is pending (keyed by credential id, CloudEvents headers,
 * oldest first) and deletes it once Kafka acknowledged. Events never carry a secret: the record has no field for one.
 */
@ApplicationScoped
public class LifecycleEvents {
    private static final Logger LOG = Logger.getLogger(LifecycleEvents.class);
    private static final String SOURCE = "/bitbridge/credential-service";
    private static final int BATCH = 100;
    /** The advisory-lock key of the outbox flusher (any constant unique within the schema's database). */
    private static final long FLUSH_LOCK = 0x6272_6964_6765_0001L;

    private final EventPublisher publisher;

    LifecycleEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Writes the event in the current transaction; it is published only if that transaction commits. */
    public Uni<Void> record(Credential credential, CredentialLifecycleEvent.Type type) {
        CredentialLifecycleEvent event = new CredentialLifecycleEvent(UUID.randomUUID().toString(), credential.id.toString(), type,
                credential.kind, credential.name, credential.status, credential.statusReason, credential.apiBaseUrl,
                credential.accountUsername == null ? credential.accountId : credential.accountUsername, Instant.now());
        OutboxEvent row = new OutboxEvent();
        row.credentialId = credential.id;
        row.eventId = event.eventId();
        row.payload = EventJson.toBytes(event);
        row.createdAt = event.occurredAt();
        return row.persist().replaceWithVoid();
    }

    /**
     * Publishes pending events, oldest first. One flusher at a time across all replicas (a transaction-scoped
     * PostgreSQL advisory lock), so events of one credential never overtake each other; whoever finds the lock
     * taken leaves its rows to the flusher running or to the next relay. A Kafka failure leaves the rows in place.
     */
    public Uni<Void> flush() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("select pg_try_advisory_xact_lock(" + FLUSH_LOCK + ")", Boolean.class).getSingleResult()
                .chain(mine -> !Boolean.TRUE.equals(mine) ? Uni.createFrom().voidItem() : session
                        .createNativeQuery("select * from outbox_event order by id limit " + BATCH, OutboxEvent.class)
                        .getResultList()
                        .chain(pending -> Multi.createFrom().iterable(pending)
                                .onItem().transformToUniAndConcatenate(row -> send(row).chain(() -> session.remove(row)))
                                .collect().asList()
                                .replaceWithVoid()))));
    }

    /** After a change committed, publish at once; a failure here is retried by {@link #relay}, not reported to the caller. */
    public Uni<Void> flushQuietly() {
        return flush().onFailure().recoverWithUni(failure -> {
            LOG.warnf("lifecycle events stay in the outbox for the relay: %s", failure.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }

    @Scheduled(every = "${bitbridge.credentials.outbox-relay-interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return flushQuietly();
    }

    private Uni<Void> send(OutboxEvent row) {
        CredentialLifecycleEvent event = EventJson.fromBytes(row.payload, CredentialLifecycleEvent.class);
        CloudEventHeaders headers = CloudEventHeaders.of(event.eventId(), EventType.CREDENTIAL_LIFECYCLE, SOURCE, event.occurredAt());
        return OnContext.resume(Uni.createFrom().completionStage(() ->
                publisher.publish(EventType.CREDENTIAL_LIFECYCLE, row.credentialId.toString(), headers, event)));
    }

    /** For tests and diagnostics: how many events wait in the outbox. */
    public Uni<Long> pending() {
        return Panache.withSession(() -> OutboxEvent.count());
    }
}
