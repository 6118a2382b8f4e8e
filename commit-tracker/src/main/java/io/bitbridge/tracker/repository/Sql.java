package io.bitbridge.tracker.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bitbridge.events.EventJson;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/** Small conversions between event values and the PostgreSQL client's parameter types. */
final class Sql {
    private Sql() {
    }

    /** The instant in UTC; built from its fields, as {@code Instant.atOffset} would, without looking up zone rules. */
    static OffsetDateTime time(Instant instant) {
        return instant == null ? null
                : OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC), ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }

    static List<String> list(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }

    /** A list of strings as a JSON array: how a text[] column travels inside an unnest()ed array parameter. */
    static String json(List<String> values) {
        try {
            return EventJson.mapper().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A tuple that may hold nulls (Tuple.of rejects none, but this reads better for long rows). */
    static Tuple row(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }
}
