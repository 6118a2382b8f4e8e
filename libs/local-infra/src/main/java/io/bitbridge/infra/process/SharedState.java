package io.bitbridge.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * A small properties file that says where a shared server runs, read and written under a file lock so
 * the test JVMs of one build agree on a single broker and database.
 */
public final class SharedState {
    private final Path dir;

    public SharedState(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Runs {@code action} while holding the directory's lock (across JVMs). */
    public <T> T locked(Supplier<T> action) {
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Properties read(String name) {
        Path file = dir.resolve(name + ".properties");
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    public void write(String name, Properties properties) {
        try (var writer = Files.newBufferedWriter(dir.resolve(name + ".properties"), StandardCharsets.UTF_8)) {
            properties.store(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean alive(String pid) {
        if (pid == null) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
