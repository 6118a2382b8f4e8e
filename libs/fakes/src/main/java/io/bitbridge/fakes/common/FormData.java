package io.bitbridge.fakes.common;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed form body, fields in the order sent. Multipart parts keep their {@code Content-Disposition}
 * parameters ({@code filename}, vendor ones such as Bitbucket's {@code x-attributes}).
 */
public final class FormData {
    private static final Pattern PARAMETER = Pattern.compile(";\\s*([^=;\\s]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;]*)");

    /** One field; {@code filename} is null for a plain field. */
    public record Field(String name, String filename, Map<String, String> dispositionParameters, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        public boolean isFile() {
            return filename != null;
        }
    }

    private final List<Field> fields;
    private final boolean multipart;

    private FormData(List<Field> fields, boolean multipart) {
        this.fields = List.copyOf(fields);
        this.multipart = multipart;
    }

    public static FormData parse(String contentType, byte[] body) {
        String lower = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (lower.startsWith("multipart/form-data")) {
            return new FormData(parseMultipart(contentType, body), true);
        }
        if (lower.startsWith("application/x-www-form-urlencoded") || lower.isEmpty()) {
            return new FormData(orderedUrlEncoded(new String(body, StandardCharsets.ISO_8859_1)), false);
        }
        throw new IllegalArgumentException("not a form content type: " + contentType);
    }

    public boolean multipart() {
        return multipart;
    }

    public List<Field> fields() {
        return fields;
    }

    public List<Field> all(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).toList();
    }

    public String first(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).map(Field::text).findFirst().orElse(null);
    }

    /** Query-string style parsing; keeps repeated names. */
    public static Map<String, List<String>> parseUrlEncoded(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Field field : orderedUrlEncoded(raw)) {
            out.computeIfAbsent(field.name(), n -> new ArrayList<>()).add(field.text());
        }
        return out;
    }

    private static List<Field> orderedUrlEncoded(String raw) {
        List<Field> fields = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.add(new Field(name, null, Map.of(), value.getBytes(StandardCharsets.UTF_8)));
        }
        return fields;
    }

    private static List<Field> parseMultipart(String contentType, byte[] body) {
        String boundary = parameters(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("multipart body without a boundary");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Field> fields = new ArrayList<>();
        int position = indexOf(body, delimiter, 0);
        if (position < 0) {
            throw new IllegalArgumentException("multipart body without its boundary");
        }
        while (true) {
            position += delimiter.length;
            if (position + 1 < body.length && body[position] == '-' && body[position + 1] == '-') {
                return fields;
            }
            position = skipLineBreak(body, position);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), position);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part without a header end");
            }
            String headerBlock = new String(body, position, headersEnd - position, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), contentStart);
            if (next < 0) {
                throw new IllegalArgumentException("multipart part without a closing boundary");
            }
            byte[] content = java.util.Arrays.copyOfRange(body, contentStart, next);
            fields.add(part(headerBlock, content));
            position = next + 2;
        }
    }

    private static Field part(String headerBlock, byte[] content) {
        for (String line : headerBlock.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                Map<String, String> parameters = parameters(line.substring(colon + 1));
                String name = parameters.get("name");
                if (name == null) {
                    throw new IllegalArgumentException("multipart part without a name");
                }
                return new Field(name, parameters.get("filename"), parameters, content);
            }
        }
        throw new IllegalArgumentException("multipart part without Content-Disposition");
    }

    /** The {@code ; key=value} parameters of a header value, keys lower-cased, quotes removed. */
    static Map<String, String> parameters(String headerValue) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAMETER.matcher(headerValue);
        while (m.find()) {
            String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2).trim();
            out.put(m.group(1).toLowerCase(Locale.ROOT), value);
        }
        return out;
    }

    private static int skipLineBreak(byte[] body, int position) {
        if (position < body.length && body[position] == '\r') {
            position++;
        }
        if (position < body.length && body[position] == '\n') {
            position++;
        }
        return position;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Builds a multipart body (tests and clients of the fakes use it). */
    public static final class MultipartBuilder {
        private final String boundary = "bitbridge-" + Long.toHexString(System.nanoTime());
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public MultipartBuilder field(String name, String value) {
            return part("form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
        }

        public MultipartBuilder file(String path, byte[] content) {
            return part("form-data; name=\"" + path + "\"; filename=\"" + path + "\"", content);
        }

        /** A file part with Bitbucket's {@code x-attributes} ({@code executable} or {@code link}). */
        public MultipartBuilder file(String path, byte[] content, String attributes) {
            return part("form-data; name=\"" + path + "\"; filename=\"" + path + "\"; x-attributes=\"" + attributes
                    + "\"", content);
        }

        private MultipartBuilder part(String disposition, byte[] content) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] build() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }
    }
}
