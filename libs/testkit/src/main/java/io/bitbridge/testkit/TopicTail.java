package io.bitbridge.testkit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * The records published to a topic from the moment the tail was opened on, read by a plain consumer (no group).
 * {@link #await} waits for a record, {@link #drain} takes what came; {@link #assertNothingElse} proves that nothing
 * (else) was published: a sentinel is written to every partition and must be the next record there, which one short
 * poll could never prove.
 *
 * <pre>{@code
 * try (TopicTail deadLetters = TopicTail.from(dlqTopic)) {
 *     ...the action...
 *     deadLetters.assertNothingElse();
 * }
 * }</pre>
 */
public final class TopicTail implements AutoCloseable {
    /** The header that marks a sentinel record (its value is unique per call). */
    public static final String SENTINEL = "bitbridge-test-sentinel";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String topic;
    private final String bootstrapServers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> unclaimed = new ArrayList<>();

    private TopicTail(String bootstrapServers, String topic) {
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // Asking for the partitions creates the topic if it does not exist yet (the broker auto-creates topics).
        List<TopicPartition> partitions = Awaitility.await().atMost(WAIT).until(() -> partitionsOf(topic), list -> !list.isEmpty());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Opens a tail at the current end of {@code topic} (a full topic name, e.g. from {@link TestInfra#topic}). */
    public static TopicTail from(String topic) {
        return new TopicTail(TestInfra.kafkaBootstrapServers(), topic);
    }

    /** As {@link #from(String)}, on another broker than the build's. */
    public static TopicTail from(String bootstrapServers, String topic) {
        return new TopicTail(bootstrapServers, topic);
    }

    /** The first record since the tail opened (or since the last one returned) that matches, waiting up to 30 s. */
    public ConsumerRecord<byte[], byte[]> await(Predicate<ConsumerRecord<byte[], byte[]>> match) {
        return Awaitility.await().atMost(WAIT).pollInterval(Duration.ZERO).until(() -> claim(match), Optional::isPresent).orElseThrow();
    }

    /** Every record that arrived since the tail opened and was not returned yet, oldest first per partition (no waiting). */
    public List<ConsumerRecord<byte[], byte[]>> drain() {
        consumer.poll(Duration.ofMillis(200)).forEach(unclaimed::add);
        List<ConsumerRecord<byte[], byte[]>> records = unclaimed.stream().filter(r -> sentinelOf(r) == null).toList();
        unclaimed.removeAll(records);
        return records;
    }

    /**
     * Asserts that every record since the tail opened has been returned by {@link #await}: publishes a sentinel to each
     * partition and reads up to it; any other record on the way fails the assertion.
     */
    public void assertNothingElse() {
        String marker = UUID.randomUUID().toString();
        Set<Integer> pending = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (TopicPartition partition : consumer.assignment()) {
                ProducerRecord<byte[], byte[]> sentinel = new ProducerRecord<>(topic, partition.partition(), null, new byte[0]);
                sentinel.headers().add(SENTINEL, marker.getBytes(StandardCharsets.UTF_8));
                producer.send(sentinel).get(30, TimeUnit.SECONDS);
                pending.add(partition.partition());
            }
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not write the sentinel to " + topic, e);
        }
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ZERO).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(unclaimed::add);
            for (ConsumerRecord<byte[], byte[]> record : List.copyOf(unclaimed)) {
                String sentinel = sentinelOf(record);
                if (marker.equals(sentinel)) {
                    pending.remove(record.partition());
                } else if (sentinel == null && pending.contains(record.partition())) {
                    throw new AssertionError("unexpected record on " + topic + "-" + record.partition() + "@" + record.offset()
                            + ": " + new String(record.value() == null ? new byte[0] : record.value(), StandardCharsets.UTF_8));
                }
                unclaimed.remove(record);
            }
            return pending.isEmpty();
        });
    }

    /** A match among the records read already comes first: a poll waits its whole timeout when nothing new arrives. */
    private Optional<ConsumerRecord<byte[], byte[]>> claim(Predicate<ConsumerRecord<byte[], byte[]>> match) {
        Optional<ConsumerRecord<byte[], byte[]>> found = claimRead(match);
        if (found.isEmpty()) {
            consumer.poll(Duration.ofMillis(200)).forEach(unclaimed::add);
            found = claimRead(match);
        }
        return found;
    }

    private Optional<ConsumerRecord<byte[], byte[]>> claimRead(Predicate<ConsumerRecord<byte[], byte[]>> match) {
        Optional<ConsumerRecord<byte[], byte[]>> found = unclaimed.stream().filter(r -> sentinelOf(r) == null).filter(match).findFirst();
        found.ifPresent(unclaimed::remove);
        return found;
    }

    private List<TopicPartition> partitionsOf(String name) {
        List<PartitionInfo> infos = consumer.partitionsFor(name, Duration.ofSeconds(5));
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(name, p.partition())).toList();
    }

    private static String sentinelOf(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(SENTINEL);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
