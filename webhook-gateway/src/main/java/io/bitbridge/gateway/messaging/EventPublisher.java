package io.bitbridge.gateway.messaging;

import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.gateway.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Publishes events and waits for Kafka's acknowledgement: {@code acks=all} and the idempotent producer, so an
 * event answered 202 is on every in-sync replica, and a retried send is never stored twice. A plain producer
 * (not a messaging channel) because the HTTP answer depends on each record's own acknowledgement and deadline.
 */
@ApplicationScoped
@Startup
public class EventPublisher {
    private final KafkaProducer<String, byte[]> producer;
    private final Duration publishTimeout;

    EventPublisher(GatewayConfig config) {
        this.publishTimeout = config.kafka().publishTimeout();
        int timeoutMs = (int) publishTimeout.toMillis();
        Map<String, Object> properties = Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "webhook-gateway"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 1),
                // Deliveries of one repository share a key, hence a partition: with the 16 KiB default a batch
                // holds a single ~10 KB push and at most five are in flight, so a busy repository would be
                // capped at five events per broker round trip. Larger batches let waiting deliveries ride together.
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                // Events are JSON with repeated field names and URLs: lz4 shrinks them several-fold for little CPU,
                // which is broker time and disk saved on every consumer's read too.
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                // Never block or retry past the time Bitbucket waits for an answer.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs / 2),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs - 1_000),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs));
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends one record. The stage completes when Kafka acknowledged it and fails (with
     * {@link PublishFailedException}, or a {@link java.util.concurrent.TimeoutException} at the publish timeout or
     * at {@code answerDeadlineNanos} ({@link System#nanoTime()} scale), whichever comes first) when that does not
     * happen in time. No thread waits meanwhile: the acknowledgement completes the stage. A delivery whose deadline
     * has already passed is not sent at all.
     */
    public CompletionStage<Void> publish(String topic, String key, CloudEventHeaders headers, byte[] value, long answerDeadlineNanos) {
        long deadline = Math.min(System.nanoTime() + publishTimeout.toNanos(), answerDeadlineNanos);
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        if (deadline - System.nanoTime() <= 0) {
            acknowledged.completeExceptionally(new java.util.concurrent.TimeoutException("the delivery's deadline has passed"));
            return acknowledged;
        }
        try {
            // May block up to max.block.ms while the topic's metadata is fetched (never past the timeout).
            producer.send(new ProducerRecord<>(topic, null, key, value, headers.toKafkaHeaders()), (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(new PublishFailedException("Kafka refused the record: " + error.getClass().getSimpleName()));
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(new PublishFailedException("Kafka unavailable: " + e.getClass().getSimpleName()));
        }
        return acknowledged.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
