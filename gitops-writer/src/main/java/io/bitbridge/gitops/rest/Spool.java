package io.bitbridge.gitops.rest;

import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.gitops.service.CommitOrder;
import io.bitbridge.gitops.service.FileContent;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A commit request's uploaded files, copied out of the HTTP layer's upload directory (emptied when the request ends,
 * while the commit may go on after a 202) into a directory of their own under the cache directory, file by file on
 * disk; deleted when the commit is done.
 */
record Spool(Path directory, Map<String, FileContent> files) {

    static Spool of(Path cacheDir, List<FileUpload> uploads) {
        for (FileUpload upload : uploads) {
            if (!CommitOrder.validPath(upload.name())) {
                throw new ProblemException("invalid-request", "Invalid request", 400,
                        "file part " + upload.name() + ": must be a relative file path without . or .. segments");
            }
        }
        try {
            Path directory = Files.createDirectories(cacheDir.resolve("uploads")).resolve(java.util.UUID.randomUUID().toString());
            Files.createDirectory(directory);
            Map<String, FileContent> files = new TreeMap<>();
            int n = 0;
            for (FileUpload upload : uploads) {
                Path file = directory.resolve(String.valueOf(n++));
                Files.copy(upload.uploadedFile(), file);
                files.put(upload.name(), new FileContent.Spooled(file, Files.size(file)));
            }
            return new Spool(directory, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete() {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
