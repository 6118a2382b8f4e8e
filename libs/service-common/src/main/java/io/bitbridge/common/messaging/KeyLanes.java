package io.bitbridge.common.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One consumer's records in lanes, one lane per partition and key: a record is handed on when the record before it in
 * its lane has been acknowledged (or nacked) and fewer than {@code limit} records are under way. Keys are compared by
 * their bytes (the channels read {@code byte[]} keys, whose own {@code equals} is identity). How long the records under
 * way have been under way is known ({@link #longestUnderWay}); the time a record waits for its key is not counted.
 */
final class KeyLanes {
    private final int limit;
    private final Map<Lane.Id, Lane> lanes = new HashMap<>();
    /** Lanes whose first record may go as soon as there is room, oldest first. */
    private final Queue<Lane> ready = new ArrayDeque<>();
    /** The records handed on and not yet acknowledged or nacked, in the order they were handed on. */
    private final Set<Waiting<?, ?>> handedOnRecords = new LinkedHashSet<>();
    private int underWay;

    KeyLanes(int limit) {
        this.limit = limit;
    }

    /** Completes with the record when it may be handled, or with null if its partition went away before. */
    <K, V> Uni<IncomingKafkaRecord<K, V>> enter(IncomingKafkaRecord<K, V> record) {
        Waiting<K, V> waiting = new Waiting<>(record);
        List<Runnable> handOver;
        synchronized (this) {
            Lane.Id id = new Lane.Id(new TopicPartition(record.getTopic(), record.getPartition()), comparable(record.getKey()));
            Lane lane = lanes.computeIfAbsent(id, Lane::new);
            lane.waiting.add(waiting);
            if (lane.waiting.size() == 1) {
                ready.add(lane);
            }
            handOver = next();
        }
        handOver.forEach(Runnable::run);
        return Uni.createFrom().completionStage(waiting.handedOn);
    }

    /** Records of these partitions that are still waiting are never handed on; the consumer reads them again. */
    void drop(Collection<TopicPartition> partitions) {
        List<Runnable> dropped = new ArrayList<>();
        synchronized (this) {
            lanes.values().removeIf(lane -> {
                if (!partitions.contains(lane.id.partition())) {
                    return false;
                }
                lane.dropped = true;
                ready.remove(lane);
                lane.waiting.stream().filter(w -> !w.underWay).forEach(w -> dropped.add(() -> w.handedOn.complete(null)));
                return true;
            });
        }
        dropped.forEach(Runnable::run);
    }

    void dropAll() {
        List<TopicPartition> all;
        synchronized (this) {
            all = lanes.keySet().stream().map(Lane.Id::partition).distinct().toList();
        }
        drop(all);
    }

    /** Must hold the lock; the returned hand-overs run after it is released. */
    private List<Runnable> next() {
        List<Runnable> handOver = new ArrayList<>();
        while (underWay < limit && !ready.isEmpty()) {
            Lane lane = ready.poll();
            Waiting<?, ?> first = lane.waiting.peek();
            first.underWay = true;
            first.handedOnAt = System.nanoTime();
            handedOnRecords.add(first);
            underWay++;
            handOver.add(() -> first.handOn(this, lane));
        }
        return handOver;
    }

    /** The record that has been under way the longest, with its time under way; empty when none is. */
    synchronized Optional<UnderWay> longestUnderWay() {
        return handedOnRecords.stream().findFirst()
                .map(w -> new UnderWay(w.record, Duration.ofNanos(System.nanoTime() - w.handedOnAt), handedOnRecords.size()));
    }

    record UnderWay(IncomingKafkaRecord<?, ?> record, Duration time, int underWay) {
    }

    private void done(Lane lane, Waiting<?, ?> waiting) {
        List<Runnable> handOver;
        synchronized (this) {
            handedOnRecords.remove(waiting);
            underWay--;
            if (!lane.dropped) {
                lane.waiting.poll();
                if (lane.waiting.isEmpty()) {
                    lanes.remove(lane.id);
                } else {
                    ready.add(lane);
                }
            }
            handOver = next();
        }
        handOver.forEach(Runnable::run);
    }

    private static Object comparable(Object key) {
        return key instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : key;
    }

    private static final class Lane {
        record Id(TopicPartition partition, Object key) {
        }

        final Id id;
        final Queue<Waiting<?, ?>> waiting = new ArrayDeque<>();
        boolean dropped;

        Lane(Id id) {
            this.id = id;
        }
    }

    private static final class Waiting<K, V> {
        final IncomingKafkaRecord<K, V> record;
        final CompletableFuture<IncomingKafkaRecord<K, V>> handedOn = new CompletableFuture<>();
        boolean underWay;
        long handedOnAt;

        Waiting(IncomingKafkaRecord<K, V> record) {
            this.record = record;
        }

        void handOn(KeyLanes lanes, Lane lane) {
            handedOn.complete(new LaneRecord<>(record, () -> lanes.done(lane, this)));
        }
    }

    /** The record as the method gets it: acknowledging or nacking it frees its lane for the next record. */
    private static final class LaneRecord<K, V> extends IncomingKafkaRecord<K, V> {
        private final AtomicBoolean finished = new AtomicBoolean();
        private final Runnable done;

        LaneRecord(IncomingKafkaRecord<K, V> record, Runnable done) {
            super(record);
            this.done = done;
        }

        @Override
        public CompletionStage<Void> ack(Metadata metadata) {
            return super.ack(metadata).whenComplete((ignored, failure) -> finish());
        }

        @Override
        public CompletionStage<Void> nack(Throwable reason, Metadata metadata) {
            return super.nack(reason, metadata).whenComplete((ignored, failure) -> finish());
        }

        private void finish() {
            if (finished.compareAndSet(false, true)) {
                done.run();
            }
        }
    }
}
