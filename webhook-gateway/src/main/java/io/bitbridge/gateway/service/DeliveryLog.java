package io.bitbridge.gateway.service;

import io.bitbridge.gateway.config.GatewayConfig;
import io.bitbridge.gateway.repository.DeliveryRecord;
import io.bitbridge.gateway.repository.DeliveryRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Writes the deliveries log after the answer is decided, without delaying it: a lost log row must never
 * cost Bitbucket a retry or the event its 202.
 */
@ApplicationScoped
public class DeliveryLog {
    private static final Logger LOG = Logger.getLogger(DeliveryLog.class);
    private static final int MAX_EVENT_KEY = 100;
    private static final int MAX_DELIVERY_ID = 200;

    private final DeliveryRepository repository;
    private final int keepPerCredential;

    DeliveryLog(DeliveryRepository repository, GatewayConfig config) {
        this.repository = repository;
        this.keepPerCredential = config.deliveries().keepPerCredential();
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
        VertxContextSupport.subscribe(
                () -> Panache.withTransaction(() -> repository.append(record, keepPerCredential)).toMulti(),
                subscription -> subscription.with(ignored -> { },
                        failure -> LOG.warnf("deliveries log: could not store a row for credential %s (%s)",
                                delivery.credentialId(), failure.getClass().getSimpleName())));
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
