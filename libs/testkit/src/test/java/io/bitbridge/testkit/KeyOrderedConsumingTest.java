package io.bitbridge.testkit;

import io.bitbridge.common.messaging.DeadLetterQueue;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.testkit.probe.KeyOrderedProbeConsumer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key-ordered channel on the real broker ({@link KeyOrderedProbeConsumer}, {@code bitbridge.messaging.concurrency=3}):
 * every record goes to partition 0, so the keys share one partition and one consumer. Concurrency is shown by records
 * held open at the same moment, never by timing.
 * <p>
 * One application start serves {@link HarnessTest}, {@link KeyOrderedConsumingTest} and {@link MessagingTest}
 * ({@code MATCHING_RESOURCES}): each works with its own topics, keys and event ids, so none sees another's records,
 * and the three pay for one start instead of three. {@link IsolationTest} keeps a start of its own.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeyOrderedConsumingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GROUP = "testkit-probe";

    @Inject
    KeyOrderedProbeConsumer consumer;
    @Inject
    DeadLetterQueue deadLetterQueue;
    @Inject
    KafkaClientService kafka;

    private String topic;
    private KafkaProducer<byte[], byte[]> producer;
    private Admin admin;
    private long lastOffset;

    @BeforeEach
    void openProducer() {
        topic = TestInfra.topic(KeyOrderedProbeConsumer.TOPIC);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers()));
    }

    @AfterEach
    void closeProducer() {
        producer.close();
        admin.close();
        consumer.releaseAll();
    }

    @Test
    void recordsOfOneKeyStayInOrderWhileOtherKeysRunBesideThemUpToTheLimit() throws Exception {
        String a1 = name("held-a1");
        String b1 = name("held-b1");
        String a2 = name("a2");
        String c1 = name("held-c1");
        String d1 = name("d1");
        String a = key();
        send(a, a1);
        send(key(), b1);
        send(a, a2);
        send(key(), c1);
        send(key(), d1);

        await().atMost(WAIT).until(() -> consumer.started().containsAll(List.of(a1, b1, c1)));
        consumer.release(b1);
        // d1 comes after a2 in the partition, yet runs first: a2 waits for its own key only
        await().atMost(WAIT).until(() -> consumer.finished().contains(d1));
        assertFalse(consumer.started().contains(a2), "a2 must wait until a1 of its key is done");
        consumer.release(a1);
        await().atMost(WAIT).until(() -> consumer.finished().containsAll(List.of(a1, a2)));
        assertTrue(consumer.finished().indexOf(a1) < consumer.finished().indexOf(a2), consumer.finished().toString());
        consumer.release(c1);
        await().atMost(WAIT).until(() -> consumer.finished().contains(c1));
        assertEquals(3, consumer.mostRunning(), "three keys held at once, never more than bitbridge.messaging.concurrency");
    }

    @Test
    void aFailingRecordIsRetriedAndDeadLetteredHoldingBackOnlyItsOwnKey() throws Exception {
        String poison = name("poison-held");
        String aNext = name("a-next");
        String b1 = name("b1");
        String a = key();
        try (TopicTail deadLetters = TopicTail.from(deadLetterQueue.topicFor(topic))) {
            String poisonId = send(a, poison).eventId();
            send(a, aNext);
            send(key(), b1);

            // b1 is done while the poison record's first attempt is still under way
            await().atMost(WAIT).until(() -> consumer.finished().contains(b1));
            assertEquals(List.of(poison), consumer.started().stream().filter(poison::equals).toList());
            assertFalse(consumer.started().contains(aNext), "the poison record's key waits for it");

            consumer.release(poison);
            ConsumerRecord<byte[], byte[]> dead = deadLetters.await(record -> poisonId.equals(ceId(record)));
            assertEquals("3", header(dead, DeadLetterQueue.ATTEMPTS), "bitbridge.messaging.retry.max-attempts");
            await().atMost(WAIT).until(() -> consumer.finished().contains(aNext));
            List<String> started = consumer.started();
            assertTrue(started.lastIndexOf(poison) < started.indexOf(aNext), "a-next starts after the poison's last attempt: " + started);
            deadLetters.assertNothingElse();
        }
    }

    @Test
    void noOffsetIsCommittedPastAnUnfinishedRecordSoARejoiningConsumerReadsItAgain() throws Exception {
        String held = name("held-s");
        String later = name("b-later");
        String aAfter = name("a-after");
        String a = key();
        send(key(), name("before"));
        CredentialLifecycleEvent heldEvent = send(a, held);
        long heldOffset = lastOffset;
        send(key(), later);
        send(a, aAfter);
        long end = lastOffset + 1;

        await().atMost(WAIT).until(() -> consumer.finished().contains(later));
        // the records before the held one are done, the one after it too: the commit stops at the held one
        await().atMost(WAIT).until(() -> committed() == heldOffset);

        // The consumer gives up its partitions and joins the group again, starting from the committed offset, as a
        // restarted consumer would.
        io.smallrye.reactive.messaging.kafka.KafkaConsumer<byte[], byte[]> channel = kafka.getConsumer(KeyOrderedProbeConsumer.TOPIC);
        java.util.function.Consumer<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> rejoin =
                org.apache.kafka.clients.consumer.Consumer::enforceRebalance;
        channel.runOnPollingThread(rejoin).await().atMost(WAIT);
        await().atMost(WAIT).until(() -> consumer.deliveries(heldEvent.eventId()) == 2);

        consumer.release(held);
        await().atMost(WAIT).until(() -> consumer.finished().contains(aAfter));
        assertTrue(consumer.finished().indexOf(held) < consumer.finished().indexOf(aAfter), consumer.finished().toString());
        await().atMost(WAIT).until(() -> committed() == end);
    }

    /**
     * A busy key: each record is quick, but the last of 60 waits seconds behind the others of its key, longer than the
     * channel lets a record be under way (2 s). Waiting for its key is no fault: the channel goes on.
     */
    @Test
    void recordsWaitingLongerThanTheMaxAgeBehindTheirKeyAreAllHandled() throws Exception {
        String shortTopic = TestInfra.topic(KeyOrderedProbeConsumer.SHORT_TOPIC);
        String key = key();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String name = name("slow-" + i);
            names.add(name);
            send(shortTopic, key, 0, name);
        }
        await().atMost(WAIT).untilAsserted(() -> assertEquals(names,
                consumer.finished().stream().filter(names::contains).toList(), "all, in order"));
    }

    @Test
    void afterAnotherMemberTakesPartitionsAndLeavesAgainEveryRecordIsHandled() throws Exception {
        // Three keys hold the whole limit while many records of other keys, on every partition, wait in their lanes.
        List<String> held = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            String key = key();
            int partition = k % 3;
            for (int r = 0; r < 6; r++) {
                String name = name((k < 3 && r == 0 ? "held-" : "") + "k" + k + "-r" + r);
                if (k < 3 && r == 0) {
                    held.add(name);
                }
                all.add(name);
                send(key, partition, name);
            }
        }
        await().atMost(WAIT).until(() -> consumer.started().containsAll(held));

        // A second member joins the group (the consumer gives up its partitions and gets some back), then leaves
        // (it gets them all back), while records are under way and others wait.
        try (KafkaConsumer<byte[], byte[]> member = member()) {
            await().atMost(WAIT).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
        }
        held.forEach(consumer::release);

        // Records under way and waiting while members come and go.
        List<String> later = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 30; k++) {
                String name = name("slow-round" + round + "-k" + k);
                later.add(name);
                send("repository-" + k, k % 3, name);
            }
            try (KafkaConsumer<byte[], byte[]> member = member()) {
                await().atMost(WAIT).until(() -> {
                    member.poll(Duration.ofMillis(100));
                    return !member.assignment().isEmpty();
                });
            }
        }
        all.addAll(later);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertEquals(List.of(),
                all.stream().filter(name -> !consumer.finished().contains(name)).toList(), "records never handled"));
    }

    /** Another member of the consumer's group, which takes partitions from it and never commits. */
    private KafkaConsumer<byte[], byte[]> member() {
        KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        member.subscribe(List.of(topic));
        return member;
    }

    private CredentialLifecycleEvent send(String key, String name) throws Exception {
        return send(key, 0, name);
    }

    private CredentialLifecycleEvent send(String key, int partition, String name) throws Exception {
        return send(topic, key, partition, name);
    }

    private CredentialLifecycleEvent send(String topic, String key, int partition, String name) throws Exception {
        String id = UUID.randomUUID().toString();
        CredentialLifecycleEvent event = new CredentialLifecycleEvent(id, id, CredentialLifecycleEvent.Type.UPDATED,
                CredentialKind.BITBUCKET_CLOUD_OAUTH, name, CredentialLifecycleEvent.Status.UP, null, null, null, Instant.now());
        CloudEventHeaders headers = CloudEventHeaders.of(id, EventType.CREDENTIAL_LIFECYCLE, "/test/key-ordered", Instant.now());
        lastOffset = producer.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), EventJson.toBytes(event),
                headers.toKafkaHeaders())).get(30, TimeUnit.SECONDS).offset();
        return event;
    }

    private long committed() throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }

    private static String key() {
        return "repository-" + UUID.randomUUID();
    }

    private static String name(String role) {
        return role + "-" + UUID.randomUUID();
    }

    private static String ceId(ConsumerRecord<byte[], byte[]> record) {
        return CloudEventHeaders.read(record.headers()).map(CloudEventHeaders::id).orElse(null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
