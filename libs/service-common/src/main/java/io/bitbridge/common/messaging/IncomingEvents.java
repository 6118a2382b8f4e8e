package io.bitbridge.common.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
 */
@ApplicationScoped
public class IncomingEvents {
    private final RetryConfig retry;
    private final DeadLetterQueue deadLetters;

    IncomingEvents(RetryConfig retry, DeadLetterQueue deadLetters) {
        this.retry = retry;
        this.deadLetters = deadLetters;
    }

    public <E extends Record> Uni<Void> consume(ConsumerRecord<byte[], byte[]> record, Class<E> type,
                                                Function<ReceivedEvent<E>, Uni<Void>> handler) {
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
        if (retry.maxAttempts() > 1) {
            attempt = attempt.onFailure().retry()
                    .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(retry.jitter())
                    .atMost(retry.maxAttempts() - 1L);
        }
        return attempt.onFailure().recoverWithUni(failure -> deadLetters.send(record,
                "the handler failed: " + failure.getClass().getSimpleName(), failure, attempts.get()));
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

    private static Executor callersEventLoop() {
        Context context = Vertx.currentContext();
        return context != null && Context.isOnEventLoopThread() ? task -> context.runOnContext(ignored -> task.run()) : null;
    }
}
