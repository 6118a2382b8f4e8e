package io.bitbridge.testkit.probe;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer written the one way every service writes one. What the handler does depends on the event's name:
 * {@code poison} always fails, {@code flaky-N} fails its first N attempts, anything else is taken.
 */
@ApplicationScoped
public class ProbeConsumer {
    private final IncomingEvents incoming;
    private final List<ReceivedEvent<CredentialLifecycleEvent>> handled = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

    ProbeConsumer(IncomingEvents incoming) {
        this.incoming = incoming;
    }

    @Incoming(Topics.CREDENTIALS_LIFECYCLE)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        CloudEventHeaders.read(record.headers())
                .ifPresent(headers -> deliveries.computeIfAbsent(headers.id(), id -> new AtomicInteger()).incrementAndGet());
        return incoming.consume(record, CredentialLifecycleEvent.class, this::handle);
    }

    private Uni<Void> handle(ReceivedEvent<CredentialLifecycleEvent> received) {
        String name = received.event().name();
        int attempt = attempts.computeIfAbsent(received.id(), id -> new AtomicInteger()).incrementAndGet();
        if (name.equals("poison") || name.startsWith("flaky-") && attempt <= Integer.parseInt(name.substring(6))) {
            return Uni.createFrom().failure(new IllegalStateException("refusing " + name + ", attempt " + attempt));
        }
        handled.add(received);
        return Uni.createFrom().voidItem();
    }

    public List<ReceivedEvent<CredentialLifecycleEvent>> handled() {
        return List.copyOf(handled);
    }

    /**
     * How often Kafka handed the record over. Delivery is at-least-once: a consumer group that rebalances before an
     * offset is committed hands a record over again, and each delivery gets its own bounded round of tries.
     */
    public int deliveries(String eventId) {
        AtomicInteger count = deliveries.get(eventId);
        return count == null ? 0 : count.get();
    }

    public int attempts(String eventId) {
        AtomicInteger count = attempts.get(eventId);
        return count == null ? 0 : count.get();
    }
}
