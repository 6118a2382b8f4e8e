package io.bitbridge.common.messaging;

import io.bitbridge.events.Topics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * Sends a record a consumer gave up on to {@link Topics#deadLetter}{@code (its topic, this service)}: the original key,
 * value and headers, plus headers saying why, where it came from and how often the handler ran. The header names are
 * those SmallRye Reactive Messaging's own dead-letter queue writes, so the usual tooling reads them.
 */
@ApplicationScoped
public class DeadLetterQueue {
    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String ATTEMPTS = "dead-letter-attempts";

    private static final Logger LOG = Logger.getLogger(DeadLetterQueue.class);

    private final EventPublisher publisher;
    private final String consumer;
    private final Event<DeadLettered> announcements;

    DeadLetterQueue(EventPublisher publisher, @ConfigProperty(name = "quarkus.application.name") String consumer,
                    Event<DeadLettered> announcements) {
        this.publisher = publisher;
        this.consumer = consumer;
        this.announcements = announcements;
    }

    /** The dead-letter topic of records this service read from {@code topic}. */
    public String topicFor(String topic) {
        return Topics.deadLetter(topic, consumer);
    }

    /** Completes once the dead-letter topic acknowledged the copy; fails (and the record is not committed) otherwise. */
    Uni<Void> send(ConsumerRecord<byte[], byte[]> record, String reason, Throwable cause, int attempts) {
        // Never the payload in the log: it is the record's business, and the copy keeps it.
        LOG.warnf("%s-%d@%d goes to %s after %d attempt(s): %s", record.topic(), record.partition(), record.offset(),
                topicFor(record.topic()), attempts, reason);
        announcements.fire(new DeadLettered(record.topic(), record.partition(), record.offset(), reason, attempts));
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, REASON, reason);
        put(headers, CAUSE, cause == null ? "" : cause.getClass().getName());
        put(headers, TOPIC, record.topic());
        put(headers, PARTITION, Integer.toString(record.partition()));
        put(headers, OFFSET, Long.toString(record.offset()));
        put(headers, ATTEMPTS, Integer.toString(attempts));
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topicFor(record.topic()), null, record.key(), record.value(), headers);
        return Uni.createFrom().completionStage(() -> publisher.send(copy, EventPublisher.NO_DEADLINE));
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
