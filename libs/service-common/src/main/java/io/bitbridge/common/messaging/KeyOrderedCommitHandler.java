package io.bitbridge.common.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.commit.ContextHolder;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;

/**
 * The throttled commit handler of one consumer, with {@link KeyLanes} between the consumer and the method. Each record
 * is registered with the throttled handler as it arrives, before it may wait in its lane: the throttled handler counts
 * only registered records, and one still waiting behind its key must keep the commit from passing it.
 */
final class KeyOrderedCommitHandler extends ContextHolder implements KafkaCommitHandler {
    /**
     * Records taken from the consumer at once, under way or waiting for their key; beyond, the consumer's own buffer
     * holds them (and pauses the partitions). Kept small: a taken record counts as unfinished from then on, and one
     * unfinished too long marks the channel unhealthy ({@code throttled.unprocessed-record-max-age.ms}).
     */
    private static final int TAKEN = 128;

    private final KafkaCommitHandler throttled;
    private final KeyLanes lanes;
    private final int taken;

    KeyOrderedCommitHandler(Vertx vertx, KafkaCommitHandler throttled, int concurrency) {
        super(vertx, 0);
        this.throttled = throttled;
        this.lanes = new KeyLanes(concurrency);
        this.taken = Math.max(TAKEN, 2 * concurrency);
    }

    /** The consumer hands its event-loop context to a handler that is a {@link ContextHolder}; the throttled one needs it. */
    @Override
    public void capture(io.vertx.core.Context context) {
        super.capture(context);
        if (throttled instanceof ContextHolder holder) {
            holder.capture(context);
        }
    }

    @Override
    public void capture(Context context) {
        super.capture(context);
        if (throttled instanceof ContextHolder holder) {
            holder.capture(context);
        }
    }

    @Override
    public <K, V> Multi<IncomingKafkaRecord<K, V>> decorateStream(Multi<IncomingKafkaRecord<K, V>> records) {
        return throttled.decorateStream(records)
                .onItem().transformToUniAndConcatenate(throttled::received)
                .onItem().transformToUni(lanes::enter).merge(taken);
    }

    /** Already registered in {@link #decorateStream}. */
    @Override
    public <K, V> Uni<IncomingKafkaRecord<K, V>> received(IncomingKafkaRecord<K, V> record) {
        return Uni.createFrom().item(record);
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        return throttled.handle(record);
    }

    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
        throttled.partitionsAssigned(partitions);
    }

    @Override
    public void partitionsRevoked(Collection<TopicPartition> partitions) {
        lanes.drop(partitions);
        throttled.partitionsRevoked(partitions);
    }

    @Override
    public void terminate(boolean graceful) {
        lanes.dropAll();
        throttled.terminate(graceful);
    }
}
