package io.bitbridge.gateway.service;

import io.bitbridge.bitbucket.webhook.DeliveryContext;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the deliveries log after the answer is decided, without delaying it: a lost log row must never cost
 * Bitbucket a retry or the event its 202. Rows are written in batches (group commit): the first row of a quiet
 * period starts a short timer, and everything that arrived meanwhile goes to PostgreSQL as one insert, so a burst of
 * deliveries costs a few statements rather than a transaction each. One batch is in flight at a time; at most
 * {@code MAX_PENDING} rows wait, beyond that (a flood, a slow database) rows are dropped and counted.
 * <p>
 * Credentials that received rows are pruned back to their newest N answered and M refused rows every {@code PRUNE_INTERVAL}, not per batch:
 * a delete per batch leaves dead rows faster than autovacuum takes them, and every later delete wades through them.
 */
@ApplicationScoped
public class DeliveryLog {
    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);
    private static final int MAX_EVENT_KEY = 100;
    private static final int MAX_DELIVERY_ID = 200;
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_BATCH = 1_000;
    private static final long BATCH_DELAY_MS = 20;
    private static final long PRUNE_INTERVAL_MS = 2_000;

    private final DeliveryRepository repository;
    private final Vertx vertx;
    private final int keepPerCredential;
    private final int keepRefusedPerCredential;
    private final Queue<DeliveryRecord> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Set<String> toPrune = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pruning = new AtomicBoolean();
    private final Counter dropped;

    DeliveryLog(DeliveryRepository repository, Vertx vertx, GatewayConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.vertx = vertx;
        this.keepPerCredential = config.deliveries().keepPerCredential();
        this.keepRefusedPerCredential = config.deliveries().keepRefusedPerCredential();
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
        repository.append(batch).subscribe().with(
                ignored -> {
                    batch.forEach(written -> toPrune.add(written.credentialId()));
                    schedulePrune();
                    finished(batch.size());
                },
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

    private void schedulePrune() {
        if (pruning.compareAndSet(false, true)) {
            vertx.setTimer(PRUNE_INTERVAL_MS, id -> prune());
        }
    }

    private void prune() {
        List<String> credentials = new ArrayList<>(toPrune);
        toPrune.removeAll(credentials);
        repository.prune(credentials, keepPerCredential, keepRefusedPerCredential).subscribe().with(
                deleted -> pruned(),
                failure -> {
                    // Tried again on the next prune timer: the table only grows until then.
                    toPrune.addAll(credentials);
                    LOG.warnf("deliveries log: could not prune (%s)", failure.getClass().getSimpleName());
                    pruned();
                });
    }

    private void pruned() {
        pruning.set(false);
        if (!toPrune.isEmpty()) {
            schedulePrune();
        }
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
