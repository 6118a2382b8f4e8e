package io.bitbridge.bitbucket.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketEndpoint;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Follows Bitbucket Cloud pagination: {@code values} plus an opaque {@code next} URL (page numbers for
 * most collections, a hash for iterator-style ones such as commits). Only {@code values} and
 * {@code next} are guaranteed, so nothing else is relied on. A {@code next} that leaves the first page's origin is
 * refused ({@link CloudNextLinks}): following it would send the credential's authorization to another host.
 */
public final class CloudPages {
    private CloudPages() {
    }

    /** Fetches every page starting at {@code first}; {@code maxPages} bounds a runaway listing. */
    public static List<JsonNode> all(URI first, Function<URI, JsonNode> fetch, int maxPages) {
        List<JsonNode> values = new ArrayList<>();
        String origin = BitbucketEndpoint.originOf(first.toString());
        URI next = first;
        for (int page = 0; next != null; page++) {
            if (page == maxPages) {
                throw new IllegalStateException("more than " + maxPages + " pages at " + first);
            }
            JsonNode body = fetch.apply(next);
            body.path("values").forEach(values::add);
            next = CloudNextLinks.next(body, next, origin);
        }
        return values;
    }
}
