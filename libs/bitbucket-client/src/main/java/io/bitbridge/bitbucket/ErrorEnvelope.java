package io.bitbridge.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the human reason out of a Bitbucket error body: Cloud's
 * {@code {"type":"error","error":{"message","detail"}}}, Server's {@code {"errors":[{"message"}]}},
 * OAuth's {@code {"error","error_description"}}, or plain text (Cloud's 429). The reason ends up in problem documents,
 * statuses and logs, so it is clipped and control and format characters (line breaks, escape sequences, bidi
 * overrides) are replaced: a server cannot forge log lines or hide text in what people read.
 */
public final class ErrorEnvelope {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    private ErrorEnvelope() {
    }

    public static String reason(byte[] body) {
        String reason = rawReason(body);
        return reason == null ? null : clean(reason);
    }

    /** {@code text} on one line without control or format characters, at most {@value #MAX_TEXT} characters. */
    public static String clean(String text) {
        String flat = text.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+", " ").replaceAll(" {2,}", " ").strip();
        return flat.length() > MAX_TEXT ? flat.substring(0, MAX_TEXT) + "…" : flat;
    }

    private static String rawReason(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.isObject()) {
                JsonNode error = root.get("error");
                if (error != null && error.isObject()) {
                    String message = error.path("message").asText(null);
                    String detail = error.path("detail").asText(null);
                    return detail == null || detail.isBlank() ? message : message + " (" + detail + ")";
                }
                if (error != null && error.isTextual()) {
                    String description = root.path("error_description").asText(null);
                    return description == null ? error.asText() : error.asText() + ": " + description;
                }
                JsonNode errors = root.get("errors");
                if (errors != null && errors.isArray() && !errors.isEmpty()) {
                    return errors.get(0).path("message").asText(null);
                }
            }
        } catch (IOException e) {
            // not JSON: fall through to the text
        }
        // never more of a body than can be shown
        return new String(body, 0, Math.min(body.length, 4 * MAX_TEXT), StandardCharsets.UTF_8);
    }
}
