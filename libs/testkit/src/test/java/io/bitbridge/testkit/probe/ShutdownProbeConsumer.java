package io.bitbridge.testkit.probe;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.quarkus.runtime.Application;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Consumers whose handler is under way when the application stops, one on a plain channel and one on a key-ordered
 * channel: each handler waits until the application begins to stop, then works with the database until its call
 * fails because the shutdown closed the pool, as a service's handler does when it is stopped in the middle of a record.
 */
@ApplicationScoped
public class ShutdownProbeConsumer {
    public static final String TOPIC = "testkit.shutdown";
    public static final String KEY_ORDERED_TOPIC = "testkit.shutdown.key-ordered";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final IncomingEvents incoming;
    private final Pool pool;
    private final List<String> started = new CopyOnWriteArrayList<>();

    ShutdownProbeConsumer(IncomingEvents incoming, Pool pool) {
        this.incoming = incoming;
        this.pool = pool;
    }

    @Incoming(TOPIC)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consumeBlocking(record, CredentialLifecycleEvent.class, this::handle);
    }

    @Incoming(KEY_ORDERED_TOPIC)
    @Blocking(ordered = false)
    void consumeInKeyOrder(ConsumerRecord<byte[], byte[]> record) {
        incoming.consumeBlockingInKeyOrder(record, CredentialLifecycleEvent.class, this::handle);
    }

    private void handle(ReceivedEvent<CredentialLifecycleEvent> received) {
        started.add(received.event().name());
        Application application = Application.currentApplication();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (application.isStarted()) {
            pause(deadline);
        }
        while (true) {
            // fails once the shutdown has closed the pool
            pool.query("select 1").execute().await().atMost(Duration.ofSeconds(10));
            pause(deadline);
        }
    }

    private static void pause(long deadline) {
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("the application did not stop");
        }
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Names of the events whose handler ran, once per attempt. */
    public List<String> started() {
        return List.copyOf(started);
    }
}
