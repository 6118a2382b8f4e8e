package io.bitbridge.common.messaging;

/**
 * Fired (as a CDI event) when a record was given up on, just before it goes to its dead-letter topic, so a service can
 * react: e.g. a cache that cannot tell what an unreadable record changed drops everything.
 *
 * @param attempts how many times the handler ran (0: the record could not be decoded, the handler never saw it)
 */
public record DeadLettered(String topic, int partition, long offset, String reason, int attempts) {
}
