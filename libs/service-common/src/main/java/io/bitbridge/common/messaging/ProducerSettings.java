package io.bitbridge.common.messaging;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The producer configuration of {@link EventPublisher}: every producer setting of the service's {@code kafka.*}
 * configuration (bootstrap servers, TLS, SASL, and any tuning), over defaults chosen for events answered
 * synchronously. {@code acks=all} and the idempotent producer are not defaults but fixed: an acknowledged event
 * is on every in-sync replica and a retried send is never stored twice.
 */
final class ProducerSettings {
    /** Default {@code delivery.timeout.ms}: a webhook sender gives up after 10 s, so an event waits at most 7 s. */
    static final int DEFAULT_DELIVERY_TIMEOUT_MS = 7_000;

    private ProducerSettings() {
    }

    static Map<String, Object> of(Map<String, Object> kafkaConfig, String clientId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        // Events of one key share a partition: with the 16 KiB default a batch holds one ~10 KB event and at most five
        // are in flight, so a busy key would be capped at five events per broker round trip. Larger batches let
        // waiting events ride together.
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        // Events are JSON with repeated field names and URLs: lz4 shrinks them several-fold for little CPU.
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        kafkaConfig.forEach((name, value) -> {
            if (ProducerConfig.configNames().contains(name)) {
                settings.put(name, String.valueOf(value));
            }
        });
        // Never block or retry past the delivery timeout (Kafka requires request.timeout.ms + linger.ms <= it).
        int deliveryTimeoutMs = deliveryTimeoutMs(settings);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeoutMs));
        settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(deliveryTimeoutMs / 2));
        settings.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1_000, deliveryTimeoutMs - 1_000)));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        return settings;
    }

    static int deliveryTimeoutMs(Map<String, Object> settings) {
        Object configured = settings.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        return configured == null ? DEFAULT_DELIVERY_TIMEOUT_MS : Integer.parseInt(configured.toString().trim());
    }
}
