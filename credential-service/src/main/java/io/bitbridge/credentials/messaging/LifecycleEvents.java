package io.bitbridge.credentials.messaging;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentials.client.OnContext;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.repository.OutboxEvent;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code credentials.lifecycle.v1} through a transactional outbox: {@link #record} writes the event in the caller's
 * transaction, {@link #flush} publishes what is pending (keyed by credential id, CloudEvents headers) and deletes it
 * once Kafka acknowledged. Events never carry a secret: the record has no field for one.
 *
 * <p>Order: {@link #record} first locks the credential's row, so the events of one credential get their ids in the
 * order their transactions commit; a flush takes the oldest pending row of each credential with
 * {@code FOR UPDATE SKIP LOCKED} and publishes that credential's rows in id order, so any number of replicas flush at
 * once and a credential's later state never reaches the compacted topic before an earlier one. A row that cannot be
 * read back is parked (counted, logged without its payload) and the rest go on. Requests never wait for Kafka:
 * {@link #flushSoon} starts a flush in the background.
 */
@ApplicationScoped
public class LifecycleEvents {
    private static final Logger LOG = Logger.getLogger(LifecycleEvents.class);
    private static final String SOURCE = "/bitbridge/credential-service";
    private static final int CREDENTIALS_PER_FLUSH = 100;

    private final EventPublisher publisher;
    private final Vertx vertx;
    private final Counter parked;

    LifecycleEvents(EventPublisher publisher, Vertx vertx, MeterRegistry meters) {
        this.publisher = publisher;
        this.vertx = vertx;
        this.parked = Counter.builder("bitbridge.outbox.parked")
                .description("Outbox rows put aside because they could not be published").register(meters);
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
        // The row lock is held until commit: another transaction's event of this credential gets a later id.
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("select 1 from credential where id = :id for update", Integer.class)
                        .setParameter("id", credential.id).getResultList())
                .chain(() -> row.persist()).replaceWithVoid();
    }

    /**
     * Publishes pending events: the oldest pending row of up to {@value #CREDENTIALS_PER_FLUSH} credentials not being
     * flushed elsewhere, then each of those credentials' rows in order. Stops at the first Kafka failure, keeping what
     * was acknowledged so far; the rest waits for the next flush.
     */
    public Uni<Void> flush() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("select o.* from outbox_event o where o.parked_at is null and o.id = "
                        + "(select min(i.id) from outbox_event i where i.credential_id = o.credential_id and i.parked_at is null) "
                        + "order by o.id limit " + CREDENTIALS_PER_FLUSH + " for update of o skip locked", OutboxEvent.class)
                .getResultList()
                .chain(heads -> heads.isEmpty() ? Uni.createFrom().item(List.<OutboxEvent>of()) : session
                        .createNativeQuery("select * from outbox_event where parked_at is null and credential_id in (:ids) order by id",
                                OutboxEvent.class)
                        .setParameter("ids", heads.stream().map(head -> head.credentialId).toList())
                        .getResultList())
                .chain(rows -> publishInOrder(session, byCredential(rows)))));
    }

    private static Map<UUID, List<OutboxEvent>> byCredential(List<OutboxEvent> rows) {
        Map<UUID, List<OutboxEvent>> grouped = new LinkedHashMap<>();
        rows.forEach(row -> grouped.computeIfAbsent(row.credentialId, id -> new ArrayList<>()).add(row));
        return grouped;
    }

    private Uni<Void> publishInOrder(Mutiny.Session session, Map<UUID, List<OutboxEvent>> rows) {
        List<OutboxEvent> queue = new ArrayList<>();
        rows.values().forEach(queue::addAll);
        return next(session, queue, 0);
    }

    private Uni<Void> next(Mutiny.Session session, List<OutboxEvent> queue, int index) {
        if (index == queue.size()) {
            return Uni.createFrom().voidItem();
        }
        OutboxEvent row = queue.get(index);
        CredentialLifecycleEvent event;
        try {
            event = EventJson.fromBytes(row.payload, CredentialLifecycleEvent.class);
        } catch (RuntimeException unreadable) {
            return park(row, unreadable).chain(() -> next(session, queue, index + 1));
        }
        return send(row, event)
                .chain(() -> session.remove(row))
                .chain(() -> next(session, queue, index + 1))
                .onFailure().recoverWithUni(failure -> {
                    // Kafka is away: keep this row and everything after it (order) for the next flush
                    LOG.warnf("lifecycle events stay in the outbox for the relay: %s", failure.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> park(OutboxEvent row, RuntimeException reason) {
        row.parkedAt = Instant.now();
        row.parkedReason = reason.getClass().getSimpleName();
        parked.increment();
        // the payload is never logged: only which row, and why in one word
        LOG.errorf("parked outbox row %d (event %s of credential %s): unreadable payload (%s)", row.id, row.eventId,
                row.credentialId, row.parkedReason);
        return Uni.createFrom().voidItem();
    }

    /** Starts a flush on its own context and returns at once: the caller's answer never waits for Kafka. */
    public void flushSoon() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> quietly(flush()).subscribe().with(done -> { }, failure -> { }));
    }

    @Scheduled(every = "${bitbridge.credentials.outbox-relay-interval:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return quietly(flush());
    }

    private static Uni<Void> quietly(Uni<Void> flush) {
        return flush.onFailure().recoverWithUni(failure -> {
            LOG.warnf("lifecycle events stay in the outbox for the relay: %s", failure.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }

    /** Publishes from a worker thread: the producer may block while Kafka is away, an event loop must not. */
    private Uni<Void> send(OutboxEvent row, CredentialLifecycleEvent event) {
        CloudEventHeaders headers = CloudEventHeaders.of(event.eventId(), EventType.CREDENTIAL_LIFECYCLE, SOURCE, event.occurredAt());
        return OnContext.resume(Uni.createFrom().completionStage(() ->
                        publisher.publish(EventType.CREDENTIAL_LIFECYCLE, row.credentialId.toString(), headers, event))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** For tests and diagnostics: how many events wait in the outbox (parked ones not counted). */
    public Uni<Long> pending() {
        return Panache.withSession(() -> OutboxEvent.count("parkedAt is null"));
    }

    /** How many of one credential's events wait in the outbox (parked ones not counted). */
    public Uni<Long> pending(UUID credentialId) {
        return Panache.withSession(() -> OutboxEvent.count("credentialId = ?1 and parkedAt is null", credentialId));
    }
}
