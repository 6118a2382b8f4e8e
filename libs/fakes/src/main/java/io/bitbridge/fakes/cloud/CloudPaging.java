package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Cloud pagination (docs/bitbucket-api-notes.md §5): {@code {pagelen, size, page, next?, previous?, values}}, {@code pagelen}
 * defaulting to 10 with a maximum of 100 unless an API differs; commits are iterator-style ({@code next} carries
 * a hash, no {@code size}, {@code page} or {@code previous}).
 */
final class CloudPaging {
    static final int DEFAULT_PAGELEN = 10;
    static final int MAX_PAGELEN = 100;

    private CloudPaging() {
    }

    /** Thrown for a bad {@code pagelen} or {@code page}; answered as a 400 error envelope. */
    static final class BadPage extends RuntimeException {
        BadPage(String message) {
            super(message);
        }
    }

    static int pagelen(FakeRequest request, int defaultLength, int maxLength) {
        String raw = request.query("pagelen");
        if (raw == null) {
            return defaultLength;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < 1 || value > maxLength) {
                throw new BadPage("Invalid pagelen: must be between 1 and " + maxLength);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadPage("Invalid pagelen");
        }
    }

    static ObjectNode page(FakeRequest request, String base, List<? extends JsonNode> all, int defaultLength,
                           int maxLength) {
        int pagelen = pagelen(request, defaultLength, maxLength);
        int page;
        try {
            page = request.query("page") == null ? 1 : Integer.parseInt(request.query("page"));
        } catch (NumberFormatException e) {
            throw new BadPage("Invalid page");
        }
        if (page < 1) {
            throw new BadPage("Invalid page");
        }
        int from = (int) Math.min((long) (page - 1) * pagelen, all.size());
        int to = Math.min(from + pagelen, all.size());
        ObjectNode node = FakeJson.object().put("pagelen", pagelen).put("size", all.size()).put("page", page);
        if (to < all.size()) {
            node.put("next", url(request, base, "page", Integer.toString(page + 1)));
        }
        if (page > 1) {
            node.put("previous", url(request, base, "page", Integer.toString(page - 1)));
        }
        node.putArray("values").addAll(all.subList(from, to));
        return node;
    }

    /** The request's own URL with one query parameter replaced (others, repeated ones included, kept). */
    static String url(FakeRequest request, String base, String name, String value) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, List<String>> parameter : request.queryParameters().entrySet()) {
            if (!parameter.getKey().equals(name)) {
                for (String v : parameter.getValue()) {
                    query.add(encode(parameter.getKey()) + "=" + encode(v));
                }
            }
        }
        query.add(encode(name) + "=" + encode(value));
        return base + request.rawPath() + "?" + query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
