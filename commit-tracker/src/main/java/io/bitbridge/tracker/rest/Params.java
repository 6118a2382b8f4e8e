package io.bitbridge.tracker.rest;

import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.tracker.service.Views.Page;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/** Query-parameter parsing and page cutting shared by the resources. */
final class Params {
    /** Page sizes: the default, and the bound every list endpoint enforces. */
    static final String DEFAULT_LIMIT = "50";
    static final int MAX_LIMIT = 200;

    private Params() {
    }

    /** An ISO-8601 instant ({@code 2026-03-02T00:00:00Z}), null when absent, else 400 problem. */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ProblemException("invalid-parameter", "Invalid parameter", 400, name + " must be an ISO-8601 instant such as 2026-03-02T00:00:00Z");
        }
    }

    /** The first {@code limit} of {@code rows} (read with limit + 1), and the cursor of the last one when more follow. */
    static <T> Page<T> page(List<T> rows, int limit, Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorOf.apply(items.get(limit - 1)));
    }
}
