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
import java.util.function.BiConsumer;

/**
 * The throttled commit handler of one consumer, with {@link KeyLanes} between the consumer and the method. Each record
 * is registered with the throttled handler as it arrives, before it may wait in its lane: the throttled handler counts
 * only registered records, and one still waiting behind its key must keep the commit from passing it.
 */
final class KeyOrderedCommitHandler extends ContextHolder implements KafkaCommitHandler {
    /**
     * Records taken from the consumer at once, under way or waiting for their key; beyond, the consumer's own buffer
     * holds them (and pauses the partitions). Kept small: a taken record counts as unfinished for the commit, and the
     * records waiting in lanes are read again after a rebalance.
     */
    private static final int TAKEN = 128;

    private final KafkaCommitHandler throttled;
    private final KeyLanes lanes;
    private final int taken;
    private final int maxAgeMs;
    private final BiConsumer<Throwable, Boolean> reportFailure;
    private final long ageCheck;

    /**
     * @param maxAgeMs      the longest a record may be under way ({@code throttled.unprocessed-record-max-age.ms}), beyond
     *                      which the channel fails as the throttled strategy fails it; 0 or less: no limit
     * @param reportFailure the channel's
     */
    KeyOrderedCommitHandler(Vertx vertx, KafkaCommitHandler throttled, int concurrency, int maxAgeMs,
                            BiConsumer<Throwable, Boolean> reportFailure) {
        super(vertx, 0);
        this.throttled = throttled;
        this.lanes = new KeyLanes(concurrency);
        this.taken = Math.max(TAKEN, 2 * concurrency);
        this.maxAgeMs = maxAgeMs;
        this.reportFailure = reportFailure;
        this.ageCheck = maxAgeMs > 0 ? vertx.setPeriodic(Math.max(100, maxAgeMs / 4), ignored -> checkAge()) : -1;
    }

    private void checkAge() {
        lanes.longestUnderWay().filter(longest -> longest.time().toMillis() > maxAgeMs).ifPresent(longest -> {
            stopAgeCheck();
            reportFailure.accept(new UnderWayTooLong(longest, maxAgeMs), true);
        });
    }

    private void stopAgeCheck() {
        if (ageCheck != -1) {
            vertx.cancelTimer(ageCheck);
        }
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
        stopAgeCheck();
        lanes.dropAll();
        throttled.terminate(graceful);
    }

    /** A record under way longer than {@code throttled.unprocessed-record-max-age.ms}: the method never finished it. */
    static final class UnderWayTooLong extends RuntimeException {
        UnderWayTooLong(KeyLanes.UnderWay longest, int maxAgeMs) {
            super(String.format("the record %d of %s-%d has been under way for %d s, longer than "
                            + "throttled.unprocessed-record-max-age.ms (%d ms); %d records are under way",
                    longest.record().getOffset(), longest.record().getTopic(), longest.record().getPartition(),
                    longest.time().toSeconds(), maxAgeMs, longest.underWay()), null, false, false);
        }
    }
}
