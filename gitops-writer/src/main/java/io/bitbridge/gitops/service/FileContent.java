package io.bitbridge.gitops.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A file's content in a desired state: bytes that came inside a request, or a file an upload was spooled to on disk,
 * which the Server / Data Center writer streams into git without holding it in memory.
 */
public sealed interface FileContent {
    long size();

    InputStream open() throws IOException;

    /** The whole content in memory (Bitbucket Cloud's commit body is built in memory). */
    byte[] bytes();

    static SortedMap<String, FileContent> all(Map<String, byte[]> files) {
        SortedMap<String, FileContent> contents = new TreeMap<>();
        files.forEach((path, bytes) -> contents.put(path, new InMemory(bytes)));
        return contents;
    }

    record InMemory(byte[] bytes) implements FileContent {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    record Spooled(Path file, long size) implements FileContent {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
