package io.bitbridge.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Pid files: one pid per line. */
final class ProcessHandleFile {
    private ProcessHandleFile() {
    }

    static void write(Path file, long pid) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, pid + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        return pids(file).stream().findFirst().map(String::valueOf).orElse("?");
    }

    static List<Long> pids(Path file) {
        try {
            return Files.exists(file)
                    ? Files.readAllLines(file).stream().map(String::strip).filter(l -> l.matches("\\d+")).map(Long::parseLong).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<ProcessHandle> live(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    static boolean alive(Path file) {
        return pids(file).stream().findFirst().flatMap(ProcessHandleFile::live).isPresent();
    }
}
