package io.bitbridge.gateway.service;

import io.bitbridge.gateway.config.GatewayConfig;
import io.bitbridge.gateway.repository.DeliveryRecord;
import io.bitbridge.gateway.repository.DeliveryRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the deliveries log after the answer is decided, without delaying it: a lost log row must never cost
 * Bitbucket a retry or the event its 202. Rows are written in batches (group commit): the first row of a quiet
 * period starts a short timer, and everything that arrived meanwhile goes to PostgreSQL as one insert and one prune,
 * so a burst of deliveries costs a few transactions rather than one each. One batch is in flight at a time; at most
 * {@code MAX_PENDING} rows wait, beyond that (a flood, a slow database) rows are dropped and counted.
 */
@ApplicationScoped
public class DeliveryLog {
    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);
    private static final int MAX_EVENT_KEY = 100;
    private static final int MAX_DELIVERY_ID = 200;
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_BATCH = 1_000;
    private static final long BATCH_DELAY_MS = 20;

    private final DeliveryRepository repository;
    private final Vertx vertx;
    private final int keepPerCredential;
    private final Queue<DeliveryRecord> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Counter dropped;

    DeliveryLog(DeliveryRepository repository, Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.vertx = vertx;
        this.keepPerCredential = config.deliveries().keepPerCredential();
        this.dropped = Counter.builder("bitbridge.gateway.deliveries.log.dropped")
                .description("Deliveries-log rows not stored (too many waiting for the database, or a database error)")
                .register(registry);
        Gauge.builder("bitbridge.gateway.deliveries.log.pending", pending, AtomicInteger::get)
                .description("Deliveries-log rows waiting for the database").register(registry);
    }

    public void record(DeliveryContext delivery, Verdict verdict, Duration latency) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            dropped.increment();
            return;
        }
        waiting.add(new DeliveryRecord(delivery.credentialId(), delivery.receivedAt(), delivery.provider().name(),
                clip(delivery.eventKey(), MAX_EVENT_KEY), clip(delivery.deliveryId(), MAX_DELIVERY_ID), delivery.attempt(),
                verdict.name(), verdict.status(), latency.toMillis()));
        scheduleWrite();
    }

    /** Starts the timer of the next batch unless a batch is already waiting or being written. */
    private void scheduleWrite() {
        if (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            vertx.setTimer(BATCH_DELAY_MS, id -> writeBatch());
        }
    }

    private void writeBatch() {
        List<DeliveryRecord> batch = new ArrayList<>();
        DeliveryRecord row;
        while (batch.size() < MAX_BATCH && (row = waiting.poll()) != null) {
            batch.add(row);
        }
        if (batch.isEmpty()) {
            finished(0);
            return;
        }
        repository.append(batch, keepPerCredential).subscribe().with(
                ignored -> finished(batch.size()),
                failure -> {
                    dropped.increment(batch.size());
                    LOG.warnf("deliveries log: could not store %d rows (%s)", batch.size(), failure.getClass().getSimpleName());
                    finished(batch.size());
                });
    }

    private void finished(int written) {
        pending.addAndGet(-written);
        writing.set(false);
        scheduleWrite();
    }

    /** Gives the rows still waiting a last chance on shutdown (bounded: the log is best effort). */
    @PreDestroy
    void drain() {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
