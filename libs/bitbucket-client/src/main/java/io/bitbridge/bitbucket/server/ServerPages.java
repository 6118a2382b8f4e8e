package io.bitbridge.bitbucket.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Follows Bitbucket Server / Data Center paging: request with {@code start}, continue from
 * {@code nextPageStart} (ids are not contiguous) until {@code isLastPage}.
 */
public final class ServerPages {
    private ServerPages() {
    }

    /** {@code fetchFrom} receives the {@code start} to request; {@code maxPages} bounds a runaway listing. */
    public static List<JsonNode> all(IntFunction<JsonNode> fetchFrom, int maxPages) {
        List<JsonNode> values = new ArrayList<>();
        int start = 0;
        for (int page = 0; ; page++) {
            if (page == maxPages) {
                throw new IllegalStateException("more than " + maxPages + " pages");
            }
            JsonNode body = fetchFrom.apply(start);
            body.path("values").forEach(values::add);
            if (body.path("isLastPage").asBoolean(true) || !body.hasNonNull("nextPageStart")) {
                return values;
            }
            int next = body.get("nextPageStart").asInt();
            if (next <= start) {
                throw new IllegalStateException("nextPageStart " + next + " does not move past " + start);
            }
            start = next;
        }
    }
}
