package io.bitbridge.events;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * CloudEvents 1.0 Kafka binary mode: the event body is the record value, its attributes are
 * {@code ce_*} headers. The one place those headers are written and read.
 */
public record CloudEventHeaders(String id, String type, String source, Instant time) {
    public static final String SPEC_VERSION = "1.0";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SPECVERSION = "ce_specversion";
    public static final String CONTENT_TYPE = "content-type";

    public CloudEventHeaders {
        Objects.requireNonNull(id, "ce_id");
        Objects.requireNonNull(type, "ce_type");
        Objects.requireNonNull(source, "ce_source");
        Objects.requireNonNull(time, "ce_time");
    }

    public static CloudEventHeaders of(String id, EventType type, String source, Instant time) {
        return new CloudEventHeaders(id, type.ceType(), source, time);
    }

    public Headers toKafkaHeaders() {
        return writeTo(new RecordHeaders());
    }

    /** Sets (replacing) the CloudEvents headers on existing Kafka headers. */
    public Headers writeTo(Headers headers) {
        put(headers, SPECVERSION, SPEC_VERSION);
        put(headers, ID, id);
        put(headers, TYPE, type);
        put(headers, SOURCE, source);
        put(headers, TIME, time.toString());
        put(headers, CONTENT_TYPE, "application/json");
        return headers;
    }

    /** Reads the attributes back; empty when a required header is missing or malformed. */
    public static Optional<CloudEventHeaders> read(Headers headers) {
        String id = text(headers, ID);
        String type = text(headers, TYPE);
        String source = text(headers, SOURCE);
        String time = text(headers, TIME);
        if (id == null || type == null || source == null || time == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CloudEventHeaders(id, type, source, Instant.parse(time)));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
