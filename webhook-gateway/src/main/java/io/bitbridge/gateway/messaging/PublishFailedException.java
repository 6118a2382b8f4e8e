package io.bitbridge.gateway.messaging;

/** Kafka did not acknowledge an event in time: the delivery must not be answered 2xx. */
public class PublishFailedException extends Exception {
    public PublishFailedException(String message) {
        super(message, null, false, false);
    }
}
