package io.bitbridge.common.messaging;

import io.bitbridge.common.database.DatabaseReachability;
import io.bitbridge.common.database.DatabaseUnavailableException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one way a Bitbridge service consumes events. The channel is named after the topic and receives the raw record;
 * this decodes it once and hands the typed event to the handler:
 *
 * <pre>{@code
 * @Incoming(Topics.CREDENTIALS_LIFECYCLE)
 * Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
 *     return incoming.consume(record, CredentialLifecycleEvent.class, this::onLifecycleEvent);
 * }
 * }</pre>
 *
 * A handler failure is retried with exponential backoff and jitter ({@link RetryConfig},
 * {@code bitbridge.messaging.retry.*}); when the attempts are used up, or at once when the record cannot be decoded,
 * the record goes to its dead-letter topic ({@link DeadLetterQueue}) and the returned {@code Uni} succeeds, so the
 * partition moves on. It fails only when the dead-letter topic cannot be written; the record is then not committed.
 * A handler that failed because Kafka could not take what it published for a reason that passes (a
 * {@link PublishFailedException#retriable()} one: an outage) is retried with the same backoff until Kafka is back,
 * never dead-lettered: nothing is wrong with the record. So is a handler that failed while the service's database does
 * not answer ({@link DatabaseReachability}: a restart, a failover, a cut network): it is tried again with the same
 * backoff until the database answers, and only the attempts made while it answers count towards the dead letter; the
 * record's offset is committed once it is handled.
 * <p>
 * A shutdown never dead-letters: a handler that fails while the application stops (Quarkus closes the database pool
 * before it stops the consumers) is neither retried nor dead-lettered, and the returned {@code Uni} fails, so the record
 * is nacked and its offset stays uncommitted (the channels keep the connector's {@code fail} failure strategy): the next
 * instance reads it again. Handlers are idempotent, so that repeats nothing.
 *
 * <h2>Key-ordered concurrency</h2>
 * A channel's records are handled one after the other unless the channel is key-ordered: then records of one key (a
 * repository) keep their order while records of different keys run side by side, up to
 * {@code bitbridge.messaging.concurrency} records per consumer. The commit strategy {@link KeyOrderedCommit} hands a
 * record on once the record before it with the same key is acknowledged, and commits a partition's offset only up to
 * its lowest unfinished record, so a restart or rebalance loses nothing. The method is called concurrently on worker
 * threads ({@code @Blocking(ordered = false)}) and must return only when the record is done, because SmallRye
 * acknowledges a blocking method's record when it returns (a returned {@code Uni} is not waited for):
 * {@link #consumeInKeyOrder} and {@link #consumeBlockingInKeyOrder} wait. Retries and dead letters are those above,
 * and hold back only the failing record's key. Both parts are needed:
 *
 * <pre>{@code
 * @Incoming(Topics.PUSH_EXPANDED)
 * @Blocking(ordered = false)
 * void consume(ConsumerRecord<byte[], byte[]> record) {
 *     incoming.consumeBlockingInKeyOrder(record, PushEvent.class, this::onPush);
 * }
 * }</pre>
 * <pre>
 * mp.messaging.incoming."bitbucket.push.expanded.v1".commit-strategy=key-ordered
 * </pre>
 * A handler that needs an event loop (Hibernate Reactive) cannot be used this way.
 */
@ApplicationScoped
public class IncomingEvents {
    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private final RetryConfig retry;
    private final DeadLetterQueue deadLetters;
    private final ApplicationStop stop;
    private final DatabaseReachability database;

    IncomingEvents(RetryConfig retry, DeadLetterQueue deadLetters, ApplicationStop stop, DatabaseReachability database) {
        this.retry = retry;
        this.deadLetters = deadLetters;
        this.stop = stop;
        this.database = database;
    }

    public <E extends Record> Uni<Void> consume(ConsumerRecord<byte[], byte[]> record, Class<E> type,
                                                Function<ReceivedEvent<E>, Uni<Void>> handler) {
        stop.noteRunning();
        ReceivedEvent<E> event;
        try {
            event = EventDecoder.decode(record, type);
        } catch (EventDecoder.Undecodable undecodable) {
            return deadLetters.send(record, undecodable.getMessage(), undecodable.getCause(), 0);
        }
        AtomicInteger attempts = new AtomicInteger();
        Uni<Void> attempt = Uni.createFrom().deferred(() -> {
            attempts.incrementAndGet();
            return handler.apply(event);
        });
        Executor caller = callersEventLoop();
        if (caller != null) {
            // A retry resumes on a timer thread; a reactive handler (Hibernate Reactive, say) needs its event loop back.
            attempt = attempt.runSubscriptionOn(caller);
        }
        // Asked right after the failure: a record that failed because the database went away waits for it to come back.
        attempt = attempt.onFailure(failure -> !stop.stopping() && !kafkaUnavailable(failure)).recoverWithUni(failure ->
                database.explain(failure).onItem().transformToUni(explained -> Uni.createFrom().<Void>failure(explained)));
        attempt = attempt.onFailure(failure -> outage(failure) && !stop.stopping()).retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(retry.jitter()).indefinitely();
        if (retry.maxAttempts() > 1) {
            attempt = attempt.onFailure(failure -> !stop.stopping()).retry()
                    .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(retry.jitter())
                    .atMost(retry.maxAttempts() - 1L);
        }
        return attempt.onFailure().recoverWithUni(failure -> stop.stopping()
                ? leftForRedelivery(record, failure)
                : deadLetters.send(record, "the handler failed: " + failure.getClass().getSimpleName(), failure, attempts.get()));
    }

    /** A failure while the application stops is the shutdown's (a closed pool, say), not the record's. */
    private static Uni<Void> leftForRedelivery(ConsumerRecord<byte[], byte[]> record, Throwable failure) {
        InterruptedByShutdownException left = new InterruptedByShutdownException(record, failure);
        LOG.info(left.getMessage());
        return Uni.createFrom().failure(left);
    }

    /**
     * {@link #consume} for a channel read in batches ({@code mp.messaging.incoming."<topic>".batch=true}, the method
     * receiving {@code ConsumerRecords<byte[], byte[]>}): a handler that writes many events at once (one transaction,
     * multi-row statements) instead of one by one. Undecodable records go to the dead-letter topic at once; the others
     * are handed to {@code handler} together, once. If that fails, each record is handled alone as {@link #consume}
     * does it (the handler with a one-event list: retried, then dead-lettered), so one poison record costs its own
     * retries and never the batch. The handler must therefore be idempotent across the two passes.
     */
    public <E extends Record> Uni<Void> consumeBatch(Iterable<ConsumerRecord<byte[], byte[]>> records, Class<E> type,
                                                     Function<List<ReceivedEvent<E>>, Uni<Void>> handler) {
        stop.noteRunning();
        List<ConsumerRecord<byte[], byte[]>> decodedRecords = new ArrayList<>();
        List<ReceivedEvent<E>> events = new ArrayList<>();
        List<Uni<Void>> undecodable = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                events.add(EventDecoder.decode(record, type));
                decodedRecords.add(record);
            } catch (EventDecoder.Undecodable e) {
                undecodable.add(Uni.createFrom().deferred(() -> deadLetters.send(record, e.getMessage(), e.getCause(), 0)));
            }
        }
        Uni<Void> deadLettered = Uni.createFrom().voidItem();
        for (Uni<Void> send : undecodable) {
            deadLettered = deadLettered.chain(() -> send);
        }
        if (events.isEmpty()) {
            return deadLettered;
        }
        Uni<Void> together = Uni.createFrom().deferred(() -> handler.apply(List.copyOf(events)));
        return deadLettered.chain(() -> together.onFailure().recoverWithUni(failure -> {
            if (stop.stopping()) {
                return leftForRedelivery(decodedRecords.get(0), failure);
            }
            Uni<Void> oneByOne = Uni.createFrom().voidItem();
            for (ConsumerRecord<byte[], byte[]> record : decodedRecords) {
                oneByOne = oneByOne.chain(() -> consume(record, type, event -> handler.apply(List.of(event))));
            }
            return oneByOne;
        }));
    }

    /**
     * {@link #consume} for a handler that blocks (JDBC, HTTP calls, JGit): each attempt runs on a worker thread, never
     * on the event loop; retries and dead letters as for {@link #consume}.
     */
    public <E extends Record> Uni<Void> consumeBlocking(ConsumerRecord<byte[], byte[]> record, Class<E> type,
                                                        Consumer<ReceivedEvent<E>> handler) {
        return consume(record, type, event -> Uni.createFrom().<Void>item(() -> {
            handler.accept(event);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** Kafka or the database is away: the record is fine and will be handled once they are back. */
    private static boolean outage(Throwable failure) {
        return failure instanceof DatabaseUnavailableException || kafkaUnavailable(failure);
    }

    private static boolean kafkaUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PublishFailedException refused) {
                return refused.retriable();
            }
        }
        return false;
    }

    /**
     * {@link #consume} on a key-ordered channel: waits (on the worker thread of a {@code @Blocking(ordered = false)}
     * method) until the record is handled or dead-lettered, so that SmallRye acknowledges it, and lets its key's next
     * record go, only then. Throws when the dead-letter topic cannot be written; the record is then not committed.
     */
    public <E extends Record> void consumeInKeyOrder(ConsumerRecord<byte[], byte[]> record, Class<E> type,
                                                     Function<ReceivedEvent<E>, Uni<Void>> handler) {
        consume(record, type, handler).await().indefinitely();
    }

    /** {@link #consumeBlocking} on a key-ordered channel, waiting as {@link #consumeInKeyOrder} does. */
    public <E extends Record> void consumeBlockingInKeyOrder(ConsumerRecord<byte[], byte[]> record, Class<E> type,
                                                             Consumer<ReceivedEvent<E>> handler) {
        consumeBlocking(record, type, handler).await().indefinitely();
    }

    private static Executor callersEventLoop() {
        Context context = Vertx.currentContext();
        return context != null && Context.isOnEventLoopThread() ? task -> context.runOnContext(ignored -> task.run()) : null;
    }
}
