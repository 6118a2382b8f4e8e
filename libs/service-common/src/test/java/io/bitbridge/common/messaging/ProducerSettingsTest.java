package io.bitbridge.common.messaging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The producer of {@link EventPublisher}, which also writes dead letters ({@link DeadLetterQueue} sends through it),
 * takes the standard Kafka client security settings from the service's {@code kafka.*} configuration, as the
 * channels' consumers and producers and Quarkus's admin client do (ServiceContractTests checks those).
 */
class ProducerSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"bitbridge\" password=\"s3cret\";";

    @Test
    void tlsAndSaslSettingsReachThePublishersProducer() {
        Map<String, Object> kafka = Map.of(
                "bootstrap.servers", "kafka-0:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "ssl.truststore.password", "changeit",
                "ssl.endpoint.identification.algorithm", "https",
                // consumer-only: not handed to a producer
                "auto.offset.reset", "earliest");

        Map<String, Object> producer = ProducerSettings.of(kafka, "webhook-gateway");

        kafka.forEach((name, value) -> {
            if (!name.equals("auto.offset.reset")) {
                assertEquals(value, producer.get(name), name);
            }
        });
        assertFalse(producer.containsKey("auto.offset.reset"));
        assertEquals("all", producer.get("acks"), "fixed, whatever the configuration says");
        assertEquals("true", producer.get("enable.idempotence"));
    }
}
