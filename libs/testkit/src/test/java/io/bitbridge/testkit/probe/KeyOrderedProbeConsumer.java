package io.bitbridge.testkit.probe;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A key-ordered consumer written as a service writes one (see {@link IncomingEvents}). What the handler does depends
 * on the event's name: a name containing {@code held} waits until the test {@link #release}s it, one containing
 * {@code slow} takes 50 ms; a name starting with
 * {@code poison} then fails, every attempt; anything else is taken.
 */
@ApplicationScoped
public class KeyOrderedProbeConsumer {
    public static final String TOPIC = "testkit.key-ordered";
    /** A second key-ordered channel, whose records may be under way for at most 2 s. */
    public static final String SHORT_TOPIC = "testkit.key-ordered-short";

    private final IncomingEvents incoming;
    private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();

    KeyOrderedProbeConsumer(IncomingEvents incoming) {
        this.incoming = incoming;
    }

    @Incoming(TOPIC)
    @Blocking(ordered = false)
    void consume(ConsumerRecord<byte[], byte[]> record) {
        CloudEventHeaders.read(record.headers())
                .ifPresent(headers -> deliveries.computeIfAbsent(headers.id(), id -> new AtomicInteger()).incrementAndGet());
        incoming.consumeInKeyOrder(record, CredentialLifecycleEvent.class, this::handle);
    }

    @Incoming(SHORT_TOPIC)
    @Blocking(ordered = false)
    void consumeShort(ConsumerRecord<byte[], byte[]> record) {
        consume(record);
    }

    private Uni<Void> handle(ReceivedEvent<CredentialLifecycleEvent> received) {
        String name = received.event().name();
        started.add(name);
        mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        Uni<Void> work = name.contains("held") ? Uni.createFrom().completionStage(gate(name))
                : name.contains("slow") ? Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(50))
                : Uni.createFrom().voidItem();
        return work.invoke(() -> running.decrementAndGet()).chain(() -> {
            if (name.startsWith("poison")) {
                return Uni.createFrom().failure(new IllegalStateException("refusing " + name));
            }
            finished.add(name);
            return Uni.createFrom().voidItem();
        });
    }

    public void release(String name) {
        gate(name).complete(null);
    }

    /** Lets every held record go, so a failed test leaves nothing behind for the next one. */
    public void releaseAll() {
        gates.values().forEach(gate -> gate.complete(null));
    }

    private CompletableFuture<Void> gate(String name) {
        return gates.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    /** Names in the order their handler attempts started (a retried record appears once per attempt). */
    public List<String> started() {
        return List.copyOf(started);
    }

    /** Names in the order their handler succeeded. */
    public List<String> finished() {
        return List.copyOf(finished);
    }

    /** The most handler attempts that were under way at the same moment. */
    public int mostRunning() {
        return mostRunning.get();
    }

    public int deliveries(String eventId) {
        AtomicInteger count = deliveries.get(eventId);
        return count == null ? 0 : count.get();
    }
}
