package io.bitbridge.gateway.support;

import io.bitbridge.events.Provider;
import io.bitbridge.testkit.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The webhook bodies other projects published, in {@code testdata/bitbucket-webhooks/public}: every {@code .json}
 * file with its {@code .headers} (and {@code .secret} where the source signed it). A file dropped into the
 * folder is picked up without any change here.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path folder() {
        return TestData.webhookFixtures();
    }

    public static Stream<Path> all() {
        try (Stream<Path> files = Files.walk(folder())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] body(Path fixture) {
        try {
            return Files.readAllBytes(fixture);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sibling {@code .headers} file as name → value (names as written). */
    public static Map<String, String> headers(Path fixture) {
        Path file = sibling(fixture, ".headers");
        Map<String, String> headers = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return headers;
    }

    public static Optional<String> header(Path fixture, String name) {
        return headers(fixture).entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    public static Optional<String> secret(Path fixture) {
        Path file = sibling(fixture, ".secret");
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Which product sent the body: Bitbucket Server keys are {@code repo:refs_changed}, {@code pr:*},
     * {@code diagnostics:*}, {@code mirror:*} and the three-part {@code repo:comment:*} style; Cloud's are
     * the rest ({@code repo:push}, {@code pullrequest:*}, {@code repo:fork}, ...).
     */
    public static Provider provider(String eventKey) {
        String key = eventKey.toLowerCase(Locale.ROOT);
        boolean server = key.equals("repo:refs_changed") || key.startsWith("pr:") || key.startsWith("diagnostics:")
                || key.startsWith("mirror:") || key.chars().filter(c -> c == ':').count() > 1
                || List.of("repo:forked", "repo:modified", "repo:secret_detected").contains(key);
        return server ? Provider.BITBUCKET_SERVER : Provider.BITBUCKET_CLOUD;
    }

    public static String relativeName(Path fixture) {
        return folder().relativize(fixture).toString();
    }

    private static Path sibling(Path fixture, String extension) {
        String name = fixture.getFileName().toString();
        return fixture.resolveSibling(name.substring(0, name.length() - ".json".length()) + extension);
    }
}
