package io.bitbridge.testkit;

import io.bitbridge.common.messaging.DeadLetterQueue;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.testkit.probe.ShutdownProbeConsumer;
import io.quarkus.runtime.Application;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shutdown never dead-letters: records whose handler is under way when the application stops, and fails because the
 * shutdown closed the database pool, are neither retried nor sent to the dead-letter topic nor committed, so the next
 * instance reads them again. On a plain and on a key-ordered channel ({@link ShutdownProbeConsumer}); the test stops
 * the application itself, so it is the only test of its class.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ShutdownTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GROUP = "testkit-probe";

    @Inject
    ShutdownProbeConsumer consumer;
    @Inject
    DeadLetterQueue deadLetterQueue;

    @Test
    void recordsUnderWayWhenTheApplicationStopsAreLeftUncommittedAndNeverDeadLettered() throws Exception {
        List<String> topics = List.of(TestInfra.topic(ShutdownProbeConsumer.TOPIC), TestInfra.topic(ShutdownProbeConsumer.KEY_ORDERED_TOPIC));
        List<String> names = List.of("plain-" + UUID.randomUUID(), "key-ordered-" + UUID.randomUUID());
        long[] offsets = new long[2];
        try (TopicTail plainDeadLetters = TopicTail.from(deadLetterQueue.topicFor(topics.get(0)));
             TopicTail keyOrderedDeadLetters = TopicTail.from(deadLetterQueue.topicFor(topics.get(1)));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     TestInfra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 2; i++) {
                offsets[i] = send(producer, topics.get(i), names.get(i));
            }
            await().atMost(WAIT).until(() -> consumer.started().containsAll(names));

            Application.currentApplication().stop();

            plainDeadLetters.assertNothingElse();
            keyOrderedDeadLetters.assertNothingElse();
            for (int i = 0; i < 2; i++) {
                long committed = committed(topics.get(i));
                assertTrue(committed <= offsets[i], topics.get(i) + ": committed " + committed + " past the record at " + offsets[i]
                        + " that the shutdown interrupted");
            }
        }
    }

    private static long send(KafkaProducer<byte[], byte[]> producer, String topic, String name) throws Exception {
        String id = UUID.randomUUID().toString();
        CredentialLifecycleEvent event = new CredentialLifecycleEvent(id, id, CredentialLifecycleEvent.Type.UPDATED,
                CredentialKind.BITBUCKET_CLOUD_OAUTH, name, CredentialLifecycleEvent.Status.UP, null, null, null, Instant.now());
        CloudEventHeaders headers = CloudEventHeaders.of(id, EventType.CREDENTIAL_LIFECYCLE, "/test/shutdown", Instant.now());
        return producer.send(new ProducerRecord<>(topic, 0, ("credential-" + id).getBytes(StandardCharsets.UTF_8),
                EventJson.toBytes(event), headers.toKafkaHeaders())).get(30, TimeUnit.SECONDS).offset();
    }

    private static long committed(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }
}
