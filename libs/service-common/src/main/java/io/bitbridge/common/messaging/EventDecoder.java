package io.bitbridge.common.messaging;

import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Required;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a Kafka record into a {@link ReceivedEvent}, or says why it cannot: CloudEvents headers present, a
 * {@code ce_type} whose record is the one expected, a value that is the record's JSON with every {@link Required}
 * component set.
 */
final class EventDecoder {
    private static final Map<Class<?>, List<RecordComponent>> REQUIRED = new ConcurrentHashMap<>();

    private EventDecoder() {
    }

    static <E extends Record> ReceivedEvent<E> decode(ConsumerRecord<byte[], byte[]> record, Class<E> type) throws Undecodable {
        CloudEventHeaders cloudEvent = CloudEventHeaders.read(record.headers())
                .orElseThrow(() -> new Undecodable("no valid CloudEvents headers (ce_id, ce_type, ce_source, ce_time)", null));
        if (EventType.byCeType(cloudEvent.type()).map(EventType::recordType).filter(type::equals).isEmpty()) {
            throw new Undecodable("ce_type " + cloudEvent.type() + " is not a " + type.getSimpleName(), null);
        }
        if (record.value() == null) {
            throw new Undecodable("no value", null);
        }
        E event;
        try {
            event = EventJson.fromBytes(record.value(), type);
        } catch (RuntimeException e) {
            throw new Undecodable("the value is not a " + type.getSimpleName() + " in JSON", e);
        }
        for (RecordComponent component : required(type)) {
            if (value(component, event) == null) {
                throw new Undecodable("required " + component.getName() + " is missing", null);
            }
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new ReceivedEvent<>(event, cloudEvent, key, record.topic(), record.partition(), record.offset());
    }

    private static List<RecordComponent> required(Class<?> type) {
        return REQUIRED.computeIfAbsent(type, t -> Arrays.stream(t.getRecordComponents())
                .filter(c -> c.isAnnotationPresent(Required.class)).toList());
    }

    private static Object value(RecordComponent component, Object event) {
        try {
            return component.getAccessor().invoke(event);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("event records have public accessors", e);
        }
    }

    /** The record is not the event it should be; retrying cannot change that. */
    static final class Undecodable extends Exception {
        Undecodable(String reason, Throwable cause) {
            super(reason, cause, false, false);
        }
    }
}
