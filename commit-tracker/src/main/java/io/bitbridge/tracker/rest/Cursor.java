package io.bitbridge.tracker.rest;

import io.bitbridge.common.rest.ProblemException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * An opaque keyset cursor: the sort values of the last item of a page, so the next page starts after it however
 * many rows arrived meanwhile. Base64url of the values joined by a line feed.
 */
public final class Cursor {
    private static final String SEPARATOR = "\n";

    private Cursor() {
    }

    public static String of(String... values) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(String.join(SEPARATOR, values).getBytes(StandardCharsets.UTF_8));
    }

    /** The values of {@code cursor} (null = first page), exactly {@code parts} of them, or 400 problem. */
    public static List<String> parse(String cursor, int parts) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            List<String> values = List.of(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(SEPARATOR, -1));
            if (values.size() == parts) {
                return values;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem
        }
        throw invalid();
    }

    /** A time value of a cursor, or the 400 problem. */
    static java.time.Instant time(String value) {
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid();
        }
    }

    static ProblemException invalid() {
        return new ProblemException("invalid-cursor", "Invalid cursor", 400, "the cursor is not one this API returned");
    }
}
