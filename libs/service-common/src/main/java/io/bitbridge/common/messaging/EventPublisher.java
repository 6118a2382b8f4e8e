package io.bitbridge.common.messaging;

import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way a Bitbridge service publishes an event: {@code publish(EventType.PUSH, key, headers, event)} writes the
 * record to the event type's topic (plus {@code bitbridge.topic-suffix}) with its CloudEvents headers and key, and the
 * returned stage completes when Kafka acknowledged it ({@code acks=all}, idempotent producer). No thread waits
 * meanwhile: the acknowledgement completes the stage.
 *
 * <p>A failed stage holds a {@link PublishFailedException} (Kafka refused, is unreachable, or did not acknowledge
 * within {@code kafka.delivery.timeout.ms}, default 7 s) or a {@link TimeoutException} (the caller's deadline came
 * first). The producer is configured from the service's {@code kafka.*} settings: see {@link ProducerSettings}.
 */
@ApplicationScoped
@Startup
public class EventPublisher {
    /** No deadline of the caller's: only {@code delivery.timeout.ms} bounds the wait. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final KafkaProducer<byte[], byte[]> producer;
    private final long deliveryTimeoutNanos;
    private final String topicSuffix;

    EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                   @ConfigProperty(name = "quarkus.application.name") String applicationName,
                   @ConfigProperty(name = "bitbridge.topic-suffix") Optional<String> topicSuffix) {
        Map<String, Object> settings = ProducerSettings.of(kafkaConfig, applicationName);
        this.deliveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ProducerSettings.deliveryTimeoutMs(settings));
        // Empty in production, which MicroProfile Config reports as missing.
        this.topicSuffix = topicSuffix.orElse("");
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Publishes {@code event} to {@code type}'s topic; see {@link #publish(EventType, String, CloudEventHeaders, Record, long)}. */
    public CompletionStage<Void> publish(EventType type, String key, CloudEventHeaders headers, Record event) {
        return publish(type, key, headers, event, NO_DEADLINE);
    }

    /**
     * Publishes {@code event} to {@code type}'s topic, keyed by {@code key}, with {@code headers} as its CloudEvents
     * attributes. The stage fails with a {@link TimeoutException} at {@code deadlineNanos} ({@link System#nanoTime()}
     * scale) if Kafka has not acknowledged by then; an event whose deadline has already passed is not sent at all.
     */
    public CompletionStage<Void> publish(EventType type, String key, CloudEventHeaders headers, Record event, long deadlineNanos) {
        if (!type.recordType().isInstance(event) || !type.ceType().equals(headers.type())) {
            throw new IllegalArgumentException("a " + type + " event must be a " + type.recordType().getSimpleName()
                    + " with ce_type " + type.ceType());
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic(type), null, key.getBytes(StandardCharsets.UTF_8),
                EventJson.toBytes(event), headers.toKafkaHeaders());
        return send(record, deadlineNanos);
    }

    /**
     * For blocking callers (a worker thread that must not commit its input before its output is stored): publishes and
     * waits for Kafka's acknowledgement, at most {@code delivery.timeout.ms}. An {@link IllegalStateException} whose
     * cause is the {@link PublishFailedException} says Kafka did not take the event (the consumer then retries).
     */
    public void publishAndWait(EventType type, String key, CloudEventHeaders headers, Record event) {
        try {
            publish(type, key, headers, event).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("publishing to " + topic(type) + " failed", e.getCause());
        }
    }

    /** The topic {@code type} is published to and consumed from by this service (test runs append a suffix). */
    public String topic(EventType type) {
        return type.topic() + topicSuffix;
    }

    /** Sends a record as it is (also dead letters, which keep the original bytes). */
    CompletionStage<Void> send(ProducerRecord<byte[], byte[]> record, long deadlineNanos) {
        long now = System.nanoTime();
        // nanoTime may be negative: no subtraction from NO_DEADLINE, which could overflow.
        long remaining = deadlineNanos == NO_DEADLINE ? deliveryTimeoutNanos : Math.min(deliveryTimeoutNanos, deadlineNanos - now);
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        if (remaining <= 0) {
            acknowledged.completeExceptionally(new TimeoutException("the deadline has passed"));
            return acknowledged;
        }
        try {
            // May block up to max.block.ms while the topic's metadata is fetched (never past the delivery timeout).
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(new PublishFailedException("Kafka refused the record: " + error.getClass().getSimpleName(),
                            error instanceof org.apache.kafka.common.errors.RetriableException));
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(new PublishFailedException("Kafka unavailable: " + e.getClass().getSimpleName(),
                    e instanceof org.apache.kafka.common.errors.RetriableException));
        }
        if (remaining >= deliveryTimeoutNanos) {
            // Kafka itself fails the record at delivery.timeout.ms: no timer of our own, which would cost a delay-queue
            // entry per event (thousands at once under load) for a timeout that is already guaranteed.
            return acknowledged;
        }
        return acknowledged.orTimeout(Math.max(1, remaining - (System.nanoTime() - now)), TimeUnit.NANOSECONDS);
    }

    /** How long a publish waits for Kafka at most ({@code kafka.delivery.timeout.ms}). */
    public Duration deliveryTimeout() {
        return Duration.ofNanos(deliveryTimeoutNanos);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
