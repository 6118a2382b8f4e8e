package io.bitbridge.bitbucket.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/**
 * Bitbucket dates in every form the payloads use: epoch milliseconds (Server), ISO-8601 with {@code Z} or
 * {@code +00:00} (Cloud, newer Server) and offsets without a colon such as {@code +0000} (older Server), which
 * {@code ISO_OFFSET_DATE_TIME} rejects. Anything else reads as unknown (null), never as "now".
 */
public final class Dates {
    private static final Pattern OFFSET_WITHOUT_COLON = Pattern.compile("([+-]\\d{2})(\\d{2})$");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,18}");

    private Dates() {
    }

    public static Instant parse(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return epochMillis(value.longValue());
        }
        return value.isTextual() ? parse(value.asText()) : null;
    }

    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return null; // only control characters: not blank to isBlank, empty once trimmed
        }
        if (EPOCH_MILLIS.matcher(trimmed).matches()) {
            return epochMillis(Long.parseLong(trimmed));
        }
        // Every commit of a push carries a date: the common forms (Z, +hh:mm) skip the offset rewrite.
        String withColon = hasColonOffsetOrZ(trimmed) ? trimmed : OFFSET_WITHOUT_COLON.matcher(trimmed).replaceFirst("$1:$2");
        try {
            return OffsetDateTime.parse(withColon).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean hasColonOffsetOrZ(String text) {
        int length = text.length();
        return text.charAt(length - 1) == 'Z' || (length > 6 && text.charAt(length - 3) == ':'
                && (text.charAt(length - 6) == '+' || text.charAt(length - 6) == '-'));
    }

    private static Instant epochMillis(long millis) {
        try {
            return Instant.ofEpochMilli(millis);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
