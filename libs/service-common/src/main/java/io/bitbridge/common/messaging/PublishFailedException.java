package io.bitbridge.common.messaging;

/** Kafka refused a record or could not be reached: the event is not stored. */
public class PublishFailedException extends Exception {
    public PublishFailedException(String message) {
        super(message, null, false, false);
    }
}
