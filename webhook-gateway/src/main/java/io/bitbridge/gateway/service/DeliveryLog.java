package io.bitbridge.gateway.service;

import io.bitbridge.gateway.config.GatewayConfig;
import io.bitbridge.gateway.repository.DeliveryRecord;
import io.bitbridge.gateway.repository.DeliveryRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the deliveries log after the answer is decided, without delaying it: a lost log row must never
 * cost Bitbucket a retry or the event its 202. At most {@code MAX_PENDING} rows wait for PostgreSQL at once;
 * beyond that (a flood, a slow database) rows are dropped and counted, so memory stays bounded.
 */
@ApplicationScoped
public class DeliveryLog {
    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);
    private static final int MAX_EVENT_KEY = 100;
    private static final int MAX_DELIVERY_ID = 200;
    private static final int MAX_PENDING = 1_000;

    private final DeliveryRepository repository;
    private final int keepPerCredential;
    private final AtomicInteger pending = new AtomicInteger();
    private final Counter dropped;

    DeliveryLog(DeliveryRepository repository, GatewayConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.keepPerCredential = config.deliveries().keepPerCredential();
        this.dropped = Counter.builder("bitbridge.gateway.deliveries.log.dropped")
                .description("Deliveries-log rows not stored (too many waiting for the database, or a database error)")
                .register(registry);
        Gauge.builder("bitbridge.gateway.deliveries.log.pending", pending, AtomicInteger::get)
                .description("Deliveries-log rows waiting for the database").register(registry);
    }

    public void record(DeliveryContext delivery, Verdict verdict, Duration latency) {
        DeliveryRecord record = new DeliveryRecord();
        record.credentialId = delivery.credentialId();
        record.receivedAt = delivery.receivedAt();
        record.provider = delivery.provider().name();
        record.eventKey = clip(delivery.eventKey(), MAX_EVENT_KEY);
        record.deliveryId = clip(delivery.deliveryId(), MAX_DELIVERY_ID);
        record.attempt = delivery.attempt();
        record.verdict = verdict.name();
        record.status = verdict.status();
        record.latencyMs = latency.toMillis();
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            dropped.increment();
            return;
        }
        VertxContextSupport.subscribe(
                () -> Panache.withTransaction(() -> repository.append(record, keepPerCredential)).toMulti(),
                subscription -> subscription.with(ignored -> { },
                        failure -> {
                            pending.decrementAndGet();
                            dropped.increment();
                            LOG.warnf("deliveries log: could not store a row for credential %s (%s)",
                                    delivery.credentialId(), failure.getClass().getSimpleName());
                        },
                        pending::decrementAndGet));
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
