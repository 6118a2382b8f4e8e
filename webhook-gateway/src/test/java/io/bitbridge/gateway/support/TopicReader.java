package io.bitbridge.gateway.support;

import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventJson;
import io.bitbridge.testkit.TestInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A plain Kafka consumer on the test class's own topics, remembering everything it has read. */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicReader(String... baseTopics) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(Arrays.stream(baseTopics).map(TestInfra::topic).toList());
    }

    /**
     * The record on {@code baseTopic} of the delivery {@code deliveryId} (the event's {@code deliveryId}: Bitbucket's
     * {@code X-Request-UUID} / {@code X-Request-Id}), waiting up to {@code timeout}.
     */
    public ConsumerRecord<String, byte[]> await(String baseTopic, String deliveryId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ConsumerRecord<String, byte[]>> found = find(baseTopic, deliveryId);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no record of delivery " + deliveryId + " on " + TestInfra.topic(baseTopic) + " within " + timeout);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
    }

    private Optional<ConsumerRecord<String, byte[]>> find(String baseTopic, String deliveryId) {
        String topic = TestInfra.topic(baseTopic);
        return seen.stream().filter(r -> r.topic().equals(topic) && deliveryId.equals(deliveryIdOf(r))).findFirst();
    }

    private static String deliveryIdOf(ConsumerRecord<String, byte[]> record) {
        try {
            return EventJson.mapper().readTree(record.value()).path("deliveryId").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    public static String ceId(ConsumerRecord<String, byte[]> record) {
        return CloudEventHeaders.read(record.headers()).map(CloudEventHeaders::id).orElse(null);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
