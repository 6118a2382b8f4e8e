package io.bitbridge.testkit.probe;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumers whose handler stores each event in the database (table {@code outage_probe}, idempotently), as a service's
 * does: on a plain channel (reactive), a key-ordered one (blocking) and a batch one. Counts, per event id, the handler's
 * attempts and its successes.
 */
@ApplicationScoped
public class OutageProbeConsumer {
    public static final String TOPIC = "testkit.outage";
    public static final String KEY_ORDERED_TOPIC = "testkit.outage.key-ordered";
    public static final String BATCH_TOPIC = "testkit.outage.batch";
    private static final String STORE = "insert into outage_probe (event_id, channel) values ($1, $2) on conflict do nothing";

    private final IncomingEvents incoming;
    private final Pool pool;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();

    OutageProbeConsumer(IncomingEvents incoming, Pool pool) {
        this.incoming = incoming;
        this.pool = pool;
    }

    @Incoming(TOPIC)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consume(record, CredentialLifecycleEvent.class, received -> store(List.of(received), TOPIC));
    }

    @Incoming(KEY_ORDERED_TOPIC)
    @Blocking(ordered = false)
    void consumeInKeyOrder(ConsumerRecord<byte[], byte[]> record) {
        incoming.consumeBlockingInKeyOrder(record, CredentialLifecycleEvent.class,
                received -> store(List.of(received), KEY_ORDERED_TOPIC).await().atMost(Duration.ofSeconds(30)));
    }

    @Incoming(BATCH_TOPIC)
    Uni<Void> consumeBatch(ConsumerRecords<byte[], byte[]> records) {
        return incoming.consumeBatch(records, CredentialLifecycleEvent.class, received -> store(received, BATCH_TOPIC));
    }

    private Uni<Void> store(List<ReceivedEvent<CredentialLifecycleEvent>> events, String channel) {
        events.forEach(event -> count(attempts, event.id()));
        List<Tuple> rows = events.stream().map(event -> Tuple.of(event.id(), channel)).toList();
        return pool.preparedQuery(STORE).executeBatch(rows)
                .invoke(() -> events.forEach(event -> count(successes, event.id())))
                .replaceWithVoid();
    }

    private static void count(Map<String, AtomicInteger> counts, String id) {
        counts.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
    }

    public int attempts(String eventId) {
        AtomicInteger count = attempts.get(eventId);
        return count == null ? 0 : count.get();
    }

    /** How often the handler stored the event and succeeded. */
    public int successes(String eventId) {
        AtomicInteger count = successes.get(eventId);
        return count == null ? 0 : count.get();
    }
}
