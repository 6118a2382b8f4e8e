package io.bitbridge.common.messaging;

import io.bitbridge.events.CloudEventHeaders;

/**
 * One decoded event as a handler sees it: the record, its CloudEvents attributes ({@code ce_id}, {@code ce_type},
 * source, time), its key, and where it was read from.
 */
public record ReceivedEvent<E extends Record>(E event, CloudEventHeaders cloudEvent, String key, String topic, int partition,
                                               long offset) {
    /** {@code ce_id}: the event's identity, the same on every redelivery, for de-duplication. */
    public String id() {
        return cloudEvent.id();
    }

    /** {@code ce_type}, e.g. {@code io.bitbridge.bitbucket.push.v1}. */
    public String type() {
        return cloudEvent.type();
    }
}
