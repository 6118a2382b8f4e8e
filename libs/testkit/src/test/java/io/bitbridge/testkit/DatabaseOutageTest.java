package io.bitbridge.testkit;

import io.bitbridge.common.messaging.DeadLetterQueue;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.testkit.probe.OutageProbeConsumer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL goes away under a running service and comes back ({@link DatabaseRelayTestResource}: a relay between the
 * service and the build's PostgreSQL, cut and restored). Records that arrive meanwhile, on a plain, a key-ordered and a
 * batch channel ({@link OutageProbeConsumer}), are tried again and again while the database is away (far more often
 * than the attempts before a dead letter) and handled exactly once after it is back; nothing is dead-lettered and the
 * offsets are committed past them. Meanwhile readiness reports the database down and the API answers 503
 * problem+json; after, both work again on new connections.
 */
@QuarkusTest
@WithTestResource(value = DatabaseRelayTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class DatabaseOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GROUP = "testkit-probe";
    private static final int PER_CHANNEL = 6;
    /** More than bitbridge.messaging.retry.max-attempts (3): without the wait for the database, a dead letter before. */
    private static final int ATTEMPTS_DURING_OUTAGE = 5;

    @Inject
    OutageProbeConsumer consumer;
    @Inject
    DeadLetterQueue deadLetterQueue;

    @Test
    void recordsArrivingWhilePostgresIsAwayAreHandledOnceItIsBackAndNoneIsDeadLettered() throws Exception {
        TcpRelay relay = DatabaseRelayTestResource.relay();
        List<String> topics = List.of(TestInfra.topic(OutageProbeConsumer.TOPIC), TestInfra.topic(OutageProbeConsumer.KEY_ORDERED_TOPIC),
                TestInfra.topic(OutageProbeConsumer.BATCH_TOPIC));
        String admin = TestTokens.admin();
        long note = given().auth().oauth2(admin).contentType("text/plain").body("before").post("/probe/notes")
                .then().statusCode(200).extract().as(Long.class);
        List<TopicTail> deadLetters = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            topics.forEach(topic -> deadLetters.add(TopicTail.from(deadLetterQueue.topicFor(topic))));
            List<String> before = sendTo(producer, topics, "before");
            await().atMost(WAIT).until(() -> before.stream().allMatch(id -> consumer.successes(id) == 1));

            relay.cut();
            List<String> during = sendTo(producer, topics, "during");
            // A channel's first record of each partition (or key) is tried; the others wait behind it.
            await().atMost(WAIT).until(() -> topicsRetriedBeyondDeadLetter(during) == topics.size());
            assertTrue(during.stream().allMatch(id -> consumer.successes(id) == 0), "nothing handled while the database is away");
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("DOWN"));
            given().auth().oauth2(TestTokens.viewer()).get("/probe/notes/" + note).then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", "5")
                    .body("type", equalTo("https://bitbridge.io/problems/database-unavailable"));
            int connectionsBefore = relay.connections();

            relay.restore();
            await().atMost(WAIT).until(() -> during.stream().allMatch(id -> consumer.successes(id) >= 1));
            List<String> after = sendTo(producer, topics, "after");
            await().atMost(WAIT).until(() -> after.stream().allMatch(id -> consumer.successes(id) == 1));

            List<String> all = new ArrayList<>(before);
            all.addAll(during);
            all.addAll(after);
            Map<String, Long> stored = storedRows(all);
            for (String id : all) {
                assertEquals(1, consumer.successes(id), "handled exactly once: " + id);
                assertEquals(1L, stored.getOrDefault(id, 0L), "stored once: " + id);
            }
            deadLetters.forEach(TopicTail::assertNothingElse);
            try (Admin kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers()))) {
                for (String topic : topics) {
                    await().atMost(WAIT).until(() -> committed(kafkaAdmin, topic) == end(kafkaAdmin, topic));
                }
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/q/health/ready").statusCode() == 200);
            given().auth().oauth2(TestTokens.viewer()).get("/probe/notes/" + note).then().statusCode(200).body(equalTo("before"));
            assertTrue(relay.connections() > connectionsBefore, "new connections after the outage");
        } finally {
            relay.restore();
            deadLetters.forEach(TopicTail::close);
        }
    }

    /** How many topics have a record tried at least {@value #ATTEMPTS_DURING_OUTAGE} times. */
    private int topicsRetriedBeyondDeadLetter(List<String> ids) {
        int topics = 0;
        for (int start = 0; start < ids.size(); start += PER_CHANNEL) {
            if (ids.subList(start, start + PER_CHANNEL).stream().anyMatch(id -> consumer.attempts(id) >= ATTEMPTS_DURING_OUTAGE)) {
                topics++;
            }
        }
        return topics;
    }

    /** {@value #PER_CHANNEL} events on each topic (in order), two per key; returns their ids, topic by topic. */
    private static List<String> sendTo(KafkaProducer<byte[], byte[]> producer, List<String> topics, String phase) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String topic : topics) {
            for (int i = 0; i < PER_CHANNEL; i++) {
                String id = UUID.randomUUID().toString();
                CredentialLifecycleEvent event = new CredentialLifecycleEvent(id, "credential-" + i % 3,
                        CredentialLifecycleEvent.Type.UPDATED, CredentialKind.BITBUCKET_CLOUD_OAUTH, phase + "-" + i,
                        CredentialLifecycleEvent.Status.UP, null, null, null, Instant.now());
                CloudEventHeaders headers = CloudEventHeaders.of(id, EventType.CREDENTIAL_LIFECYCLE, "/test/outage", Instant.now());
                producer.send(new ProducerRecord<>(topic, null, ("credential-" + i % 3).getBytes(StandardCharsets.UTF_8),
                        EventJson.toBytes(event), headers.toKafkaHeaders())).get(30, TimeUnit.SECONDS);
                ids.add(id);
            }
        }
        return ids;
    }

    /** How many rows each of the events has in the table (one query on one connection). */
    private static Map<String, Long> storedRows(List<String> eventIds) throws Exception {
        Map<String, Long> rows = new HashMap<>();
        try (Connection connection = TestInfra.jdbc();
             PreparedStatement query = connection.prepareStatement(
                     "select event_id, count(*) from outage_probe where event_id = any (?) group by event_id")) {
            query.setArray(1, connection.createArrayOf("text", eventIds.toArray()));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), result.getLong(2));
                }
            }
        }
        return rows;
    }

    /** The group's committed offsets of the topic, summed over its partitions. */
    private static long committed(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** The end offsets of the topic, summed over its partitions. */
    private static long end(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }
}
