package io.bitbridge.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the human reason out of a Bitbucket error body: Cloud's
 * {@code {"type":"error","error":{"message","detail"}}}, Server's {@code {"errors":[{"message"}]}},
 * OAuth's {@code {"error","error_description"}}, or plain text (Cloud's 429).
 */
public final class ErrorEnvelope {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    private ErrorEnvelope() {
    }

    public static String reason(byte[] body) {
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
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
    }
}
