package io.bitbridge.common.messaging;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.function.BiConsumer;

/**
 * The {@code key-ordered} commit strategy of a key-ordered channel ({@code commit-strategy=key-ordered}, see
 * {@link IncomingEvents}): SmallRye's throttled strategy, which commits a partition's offset only up to its lowest
 * unfinished record, with the records handed on so that those of one key go one at a time and at most
 * {@code bitbridge.messaging.concurrency} are under way per consumer. The channel's
 * {@code throttled.unprocessed-record-max-age.ms} (60 s by default) bounds how long a record may be under way, from the
 * moment it is handed on: the time it waits behind the records of its key does not count (a busy key - a burst of
 * pushes to one repository, each waiting for Bitbucket's request budget - is no fault). Custom strategies are looked up by their
 * identifier: https://smallrye.io/smallrye-reactive-messaging/latest/kafka/receiving-kafka-records/#custom-commit-and-failure-strategies
 */
@ApplicationScoped
@Identifier(KeyOrderedCommit.STRATEGY)
@Unremovable
public class KeyOrderedCommit implements KafkaCommitHandler.Factory {
    public static final String STRATEGY = "key-ordered";

    private final KafkaCommitHandler.Factory throttled;
    private final int concurrency;

    KeyOrderedCommit(@Identifier(KafkaCommitHandler.Strategy.THROTTLED) KafkaCommitHandler.Factory throttled,
                     @ConfigProperty(name = "bitbridge.messaging.concurrency") int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("bitbridge.messaging.concurrency must be at least 1, not " + concurrency);
        }
        this.throttled = throttled;
        this.concurrency = concurrency;
    }

    @Override
    public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
                                     BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaCommitHandler handler = throttled.create(new WithoutAgeCheck(config), vertx, consumer, reportFailure);
        return new KeyOrderedCommitHandler(vertx, handler, concurrency, config.getThrottledUnprocessedRecordMaxAgeMs(),
                reportFailure);
    }

    /**
     * The channel's configuration without the throttled handler's own check, which counts a record's age from its
     * arrival: {@link KeyOrderedCommitHandler} counts it from when the record is handed on.
     */
    private static final class WithoutAgeCheck extends KafkaConnectorIncomingConfiguration {
        WithoutAgeCheck(KafkaConnectorIncomingConfiguration config) {
            super(config.config());
        }

        @Override
        public Integer getThrottledUnprocessedRecordMaxAgeMs() {
            return 0;
        }
    }
}
