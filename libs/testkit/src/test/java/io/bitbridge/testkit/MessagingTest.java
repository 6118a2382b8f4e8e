package io.bitbridge.testkit;

import io.bitbridge.common.messaging.DeadLetterQueue;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.testkit.probe.ProbeConsumer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared publish / consume / dead-letter mechanism on the real broker, through the probe app's consumer
 * ({@link ProbeConsumer}), written as every service writes one.
 * <p>
 * One application start serves {@link HarnessTest}, {@link KeyOrderedConsumingTest} and {@link MessagingTest}
 * ({@code MATCHING_RESOURCES}): each works with its own topics, keys and event ids, so none sees another's records,
 * and the three pay for one start instead of three. {@link IsolationTest} keeps a start of its own.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class MessagingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EventPublisher publisher;
    @Inject
    DeadLetterQueue deadLetterQueue;
    @Inject
    ProbeConsumer consumer;

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAfterItsRetriesWhileTheRecordsAfterItAreProcessed() throws Exception {
        String key = "credential-" + UUID.randomUUID();
        CredentialLifecycleEvent before = event("before");
        CredentialLifecycleEvent poison = event("poison");
        CredentialLifecycleEvent after = event("after");
        try (TopicTail deadLetters = TopicTail.from(deadLetterTopic())) {
            for (CredentialLifecycleEvent event : List.of(before, poison, after)) {
                publish(key, event);
            }

            ConsumerRecord<byte[], byte[]> dead = deadLetters.await(record -> poison.eventId().equals(ceId(record)));
            await().atMost(WAIT).until(() -> handledIds().contains(after.eventId()));
            assertEquals(List.of(before.eventId(), after.eventId()),
                    handledIds().stream().filter(id -> List.of(before.eventId(), after.eventId()).contains(id)).toList(),
                    "the partition moved on past the poison record, in order");
            // max-attempts tries per delivery (a rebalance before the offset commit may deliver the record again)
            assertEquals(3 * consumer.deliveries(poison.eventId()), consumer.attempts(poison.eventId()),
                    "bitbridge.messaging.retry.max-attempts per delivery");
            assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), dead.key());
            assertArrayEquals(EventJson.toBytes(poison), dead.value(), "the original bytes");
            assertEquals(EventType.CREDENTIAL_LIFECYCLE.ceType(), CloudEventHeaders.read(dead.headers()).orElseThrow().type());
            assertEquals("3", header(dead, DeadLetterQueue.ATTEMPTS));
            assertTrue(header(dead, DeadLetterQueue.REASON).contains("IllegalStateException"), header(dead, DeadLetterQueue.REASON));
            assertEquals(IllegalStateException.class.getName(), header(dead, DeadLetterQueue.CAUSE));
            assertEquals(publisher.topic(EventType.CREDENTIAL_LIFECYCLE), header(dead, DeadLetterQueue.TOPIC));
            ReceivedEvent<CredentialLifecycleEvent> afterReceived = handled(after.eventId());
            assertEquals(afterReceived.partition(), Integer.parseInt(header(dead, DeadLetterQueue.PARTITION)));
            assertEquals(afterReceived.offset() - 1, Long.parseLong(header(dead, DeadLetterQueue.OFFSET)));
            deadLetters.assertNothingElse();
        }
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicAtOnceWithoutReachingTheHandler() throws Exception {
        String key = "credential-" + UUID.randomUUID();
        String garbageId = UUID.randomUUID().toString();
        CredentialLifecycleEvent missingName = new CredentialLifecycleEvent(UUID.randomUUID().toString(), key,
                CredentialLifecycleEvent.Type.UPDATED, CredentialKind.BITBUCKET_CLOUD_OAUTH, null,
                CredentialLifecycleEvent.Status.UP, null, null, null, Instant.now());
        CredentialLifecycleEvent after = event("after");
        try (TopicTail deadLetters = TopicTail.from(deadLetterTopic());
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     TestInfra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            String topic = publisher.topic(EventType.CREDENTIAL_LIFECYCLE);
            raw.send(new ProducerRecord<>(topic, null, keyBytes, "{not json".getBytes(StandardCharsets.UTF_8),
                    headers(garbageId).toKafkaHeaders())).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(topic, keyBytes, "no CloudEvents headers".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(topic, null, keyBytes, EventJson.toBytes(missingName),
                    headers(missingName.eventId()).toKafkaHeaders())).get(30, TimeUnit.SECONDS);
            publish(key, after);

            ConsumerRecord<byte[], byte[]> garbage = deadLetters.await(record -> garbageId.equals(ceId(record)));
            ConsumerRecord<byte[], byte[]> headerless = deadLetters.await(record -> ceId(record) == null);
            ConsumerRecord<byte[], byte[]> incomplete = deadLetters.await(record -> missingName.eventId().equals(ceId(record)));
            await().atMost(WAIT).until(() -> handledIds().contains(after.eventId()));
            for (ConsumerRecord<byte[], byte[]> dead : List.of(garbage, headerless, incomplete)) {
                assertEquals("0", header(dead, DeadLetterQueue.ATTEMPTS), "never retried");
            }
            assertEquals("no CloudEvents headers", new String(headerless.value(), StandardCharsets.UTF_8));
            assertTrue(header(incomplete, DeadLetterQueue.REASON).contains("name"), header(incomplete, DeadLetterQueue.REASON));
            assertEquals(0, consumer.attempts(garbageId) + consumer.attempts(missingName.eventId()), "the handler never ran");
            deadLetters.assertNothingElse();
        }
    }

    @Test
    void aTransientFailureSucceedsOnRetryAndNeverReachesTheDeadLetterTopic() throws Exception {
        String key = "credential-" + UUID.randomUUID();
        CredentialLifecycleEvent flaky = event("flaky-2");
        try (TopicTail deadLetters = TopicTail.from(deadLetterTopic())) {
            publish(key, flaky);
            await().atMost(WAIT).until(() -> handledIds().contains(flaky.eventId()));
            // two failures, then success; a second delivery (rebalance before the commit) succeeds at once
            assertEquals(2 + consumer.deliveries(flaky.eventId()), consumer.attempts(flaky.eventId()));
            ReceivedEvent<CredentialLifecycleEvent> received = handled(flaky.eventId());
            assertEquals(key, received.key());
            assertEquals(EventType.CREDENTIAL_LIFECYCLE.ceType(), received.type());
            assertEquals(publisher.topic(EventType.CREDENTIAL_LIFECYCLE), received.topic());
            deadLetters.assertNothingElse();
        }
    }

    @Test
    void anEventWhoseDeadlineHasPassedFailsAtOnceAndIsNotSent() {
        CredentialLifecycleEvent late = event("late");
        try (TopicTail topic = TopicTail.from(publisher.topic(EventType.CREDENTIAL_LIFECYCLE))) {
            long started = System.nanoTime();
            var stage = publisher.publish(EventType.CREDENTIAL_LIFECYCLE, "key", headers(late.eventId()), late, System.nanoTime() - 1)
                    .toCompletableFuture();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> stage.get(1, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof TimeoutException, String.valueOf(failure.getCause()));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(500)) < 0, "answered at once");
            topic.assertNothingElse();
        }
    }

    private String deadLetterTopic() {
        return deadLetterQueue.topicFor(publisher.topic(EventType.CREDENTIAL_LIFECYCLE));
    }

    private void publish(String key, CredentialLifecycleEvent event) throws Exception {
        publisher.publish(EventType.CREDENTIAL_LIFECYCLE, key, headers(event.eventId()), event)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static CloudEventHeaders headers(String id) {
        return CloudEventHeaders.of(id, EventType.CREDENTIAL_LIFECYCLE, "/test/messaging", Instant.now());
    }

    private static CredentialLifecycleEvent event(String name) {
        String id = UUID.randomUUID().toString();
        return new CredentialLifecycleEvent(id, id, CredentialLifecycleEvent.Type.UPDATED, CredentialKind.BITBUCKET_CLOUD_OAUTH,
                name, CredentialLifecycleEvent.Status.UP, null, null, null, Instant.now());
    }

    private List<String> handledIds() {
        return consumer.handled().stream().map(ReceivedEvent::id).toList();
    }

    private ReceivedEvent<CredentialLifecycleEvent> handled(String id) {
        return consumer.handled().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    private static String ceId(ConsumerRecord<byte[], byte[]> record) {
        return CloudEventHeaders.read(record.headers()).map(CloudEventHeaders::id).orElse(null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
