package io.bitbridge.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's {@code shared/} directory (specs, fixtures, docs), which lives beside the repository
 * root, never inside it: {@code <root>/../shared}. The system property {@code bitbridge.shared.dir} wins;
 * otherwise the working directory and its parents are searched for a sibling {@code shared/} that holds
 * {@code specs/} or {@code fixtures/}.
 */
public final class SharedDocs {
    public static final String PROPERTY = "bitbridge.shared.dir";

    private SharedDocs() {
    }

    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(PROPERTY + " points to a missing directory: " + dir);
            }
            return dir;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared"), dir.resolveSibling("shared")}) {
                if (looksShared(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("No shared/ directory beside the repository root; set -D" + PROPERTY);
    }

    public static Path specs() {
        return root().resolve("specs");
    }

    public static Path fixtures() {
        return root().resolve("fixtures");
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }

    private static boolean looksShared(Path candidate) {
        return Files.isDirectory(candidate)
                && (Files.isDirectory(candidate.resolve("specs")) || Files.isDirectory(candidate.resolve("fixtures")));
    }
}
