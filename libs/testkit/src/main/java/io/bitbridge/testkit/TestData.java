package io.bitbridge.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's {@code testdata/} directory: Bitbucket webhook bodies published by other projects
 * ({@code bitbucket-webhooks/public}, with {@code MANIFEST.tsv} naming origin and licence) and Atlassian's
 * OpenAPI documents trimmed by {@code testdata/trim-openapi.py} ({@code bitbucket-specs}). Found by walking up
 * from the working directory (a module's tests run in the module directory); {@code -Dbitbridge.testdata.dir} wins.
 */
public final class TestData {
    public static final String PROPERTY = "bitbridge.testdata.dir";

    private TestData() {
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
            Path candidate = dir.resolve("testdata");
            if (Files.isDirectory(candidate.resolve("bitbucket-webhooks"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no testdata/ directory in " + Path.of("").toAbsolutePath()
                + " or its parents; run from inside the repository or set -D" + PROPERTY);
    }

    /** The folder of webhook bodies, one sub-folder per origin project, and {@code MANIFEST.tsv}. */
    public static Path webhookFixtures() {
        return root().resolve("bitbucket-webhooks").resolve("public");
    }

    /** The trimmed Bitbucket Cloud and Data Center OpenAPI documents. */
    public static Path specs() {
        return root().resolve("bitbucket-specs");
    }
}
