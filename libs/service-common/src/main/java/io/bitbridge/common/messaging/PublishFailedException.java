package io.bitbridge.common.messaging;

/** Kafka refused a record or could not be reached: the event is not stored. */
public class PublishFailedException extends Exception {
    private final boolean retriable;

    public PublishFailedException(String message) {
        this(message, false);
    }

    /**
     * {@code retriable}: Kafka's own verdict ({@link org.apache.kafka.common.errors.RetriableException}: timeouts, a
     * broker gone); the same record may be taken once Kafka is back. A record Kafka refuses as such (too large, say) is not.
     */
    public PublishFailedException(String message, boolean retriable) {
        super(message, null, false, false);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
