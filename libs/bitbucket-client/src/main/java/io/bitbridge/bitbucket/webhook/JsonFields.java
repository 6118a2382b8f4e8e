package io.bitbridge.bitbucket.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tolerant reading of webhook JSON: a missing field, a null or a value of the wrong kind reads as
 * absent, never as an exception. The mappers decide what is required.
 */
public final class JsonFields {
    private static final Pattern NAME_EMAIL = Pattern.compile("^\\s*(.*?)\\s*<([^<>]*)>\\s*$");

    private JsonFields() {
    }

    /** The node at {@code path}, or a missing node. */
    public static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String field : path) {
            current = current.isObject() ? current.path(field) : MissingNode.getInstance();
        }
        return current;
    }

    /** Text of a string, number or boolean at {@code path}; null for anything else or blank. */
    public static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            String text = value.asText();
            return text.isBlank() ? null : text;
        }
        return null;
    }

    public static boolean isObject(JsonNode node, String... path) {
        return at(node, path).isObject();
    }

    /** {@code true}/{@code false} when the field is a boolean (or the strings "true"/"false"), else null. */
    public static Boolean bool(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && ("true".equalsIgnoreCase(value.asText()) || "false".equalsIgnoreCase(value.asText()))) {
            return Boolean.parseBoolean(value.asText());
        }
        return null;
    }

    public static boolean flag(JsonNode node, String... path) {
        return Boolean.TRUE.equals(bool(node, path));
    }

    /** A whole number (or digits in a string) at {@code path}, else null. */
    public static Long number(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual() && value.asText().matches("-?\\d{1,18}")) {
            return Long.parseLong(value.asText());
        }
        return null;
    }

    /** The objects of the array at {@code path} (other elements are skipped); empty when there is no array. */
    public static List<JsonNode> objects(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        List<JsonNode> result = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(element -> {
                if (element.isObject()) {
                    result.add(element);
                }
            });
        }
        return result;
    }

    public static <T> List<T> mapObjects(JsonNode node, Function<JsonNode, T> mapper, String... path) {
        return objects(node, path).stream().map(mapper).toList();
    }

    /** The path segments of a URL, without empty ones; empty list when the URL does not parse. */
    public static List<String> pathSegments(String url) {
        if (url == null) {
            return List.of();
        }
        try {
            String path = URI.create(url.trim()).getPath();
            if (path == null) {
                return List.of();
            }
            return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** The name part of a git author line {@code Name <email>}; the whole line when it has no address. */
    public static String nameOfRaw(String raw) {
        if (raw == null) {
            return null;
        }
        Matcher matcher = NAME_EMAIL.matcher(raw);
        if (matcher.matches()) {
            return matcher.group(1).isEmpty() ? null : matcher.group(1);
        }
        return raw.isBlank() ? null : raw.trim();
    }

    /** The address of a git author line {@code Name <email>}, or null. */
    public static String emailOfRaw(String raw) {
        if (raw == null) {
            return null;
        }
        Matcher matcher = NAME_EMAIL.matcher(raw);
        return matcher.matches() && !matcher.group(2).isBlank() ? matcher.group(2).trim() : null;
    }

    /** Null instead of a hash made only of zeros (Bitbucket Server's "no commit" on ADD / DELETE). */
    public static String hashOrNull(String hash) {
        return hash == null || hash.chars().allMatch(c -> c == '0') ? null : hash;
    }
}
