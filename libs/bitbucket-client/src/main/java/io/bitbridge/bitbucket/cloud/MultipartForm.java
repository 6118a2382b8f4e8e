package io.bitbridge.bitbucket.cloud;

import io.bitbridge.bitbucket.BitbucketHttp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data body (RFC 7578): text fields and file parts, in the order added. */
final class MultipartForm {
    private final String boundary = "bitbridge-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartForm field(String name, String value) {
        part("form-data; name=\"" + quoted(name) + "\"", value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A file part: a part with a filename is always a file, whatever its name looks like. */
    MultipartForm file(String name, byte[] content) {
        part("form-data; name=\"" + quoted(name) + "\"; filename=\"" + quoted(name) + "\"", content);
        return this;
    }

    BitbucketHttp.RawBody body() {
        write("--" + boundary + "--\r\n");
        return new BitbucketHttp.RawBody("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private void part(String disposition, byte[] content) {
        write("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\n\r\n");
        out.writeBytes(content);
        write("\r\n");
    }

    private void write(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String name) {
        return name.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "");
    }
}
