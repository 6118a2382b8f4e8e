package io.bitbridge.deploy;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one service module is made of, read from the source tree: its own main sources, the Bitbridge libraries it
 * runs with (compile and runtime dependencies, transitively) and the configuration they all ship. The manifests'
 * tests read the services' configuration and messaging from here instead of from lists kept by hand.
 */
record ServiceSources(String service, List<Path> ownModule, List<Path> libraries) {
    static final Path ROOT = Path.of("..");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern BITBRIDGE_ARTIFACT = Pattern.compile("<artifactId>bitbridge-([a-z-]+)</artifactId>");

    private static final Map<Path, CompilationUnit> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
    }

    static ServiceSources of(String service) {
        Set<Path> libraries = new LinkedHashSet<>();
        collectLibraries(ROOT.resolve(service), libraries);
        return new ServiceSources(service, List.of(ROOT.resolve(service)), List.copyOf(libraries));
    }

    /** The libraries a module runs with: its non-test bitbridge-* dependencies, each a directory under libs/. */
    private static void collectLibraries(Path module, Set<Path> into) {
        Matcher dependency = DEPENDENCY.matcher(read(module.resolve("pom.xml")));
        while (dependency.find()) {
            String block = dependency.group(1);
            Matcher artifact = BITBRIDGE_ARTIFACT.matcher(block);
            if (block.contains("<scope>test</scope>") || !artifact.find()) {
                continue;
            }
            Path library = ROOT.resolve("libs").resolve(artifact.group(1));
            if (Files.isDirectory(library) && into.add(library)) {
                collectLibraries(library, into);
            }
        }
    }

    /** The service's own main sources, parsed. */
    List<CompilationUnit> ownSources() {
        return ownModule.stream().flatMap(ServiceSources::javaFiles).map(ServiceSources::parse).toList();
    }

    /** Its own and its libraries' main sources, parsed. */
    List<CompilationUnit> allSources() {
        return Stream.concat(ownModule.stream(), libraries.stream()).flatMap(ServiceSources::javaFiles).map(ServiceSources::parse).toList();
    }

    /** Whether its own or its libraries' main sources mention {@code text}. */
    boolean mentions(String text) {
        return Stream.concat(ownModule.stream(), libraries.stream()).flatMap(ServiceSources::javaFiles)
                .anyMatch(file -> read(file).contains(text));
    }

    /**
     * The configuration the service ships, lowest precedence first: each library's
     * META-INF/microprofile-config.properties, then its own application.properties. Profile-specific keys
     * ({@code %test.…}) are left out: a deployment runs the default profile.
     */
    Map<String, String> configuration() {
        Map<String, String> merged = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        List<Path> lowestFirst = new ArrayList<>(libraries);
        java.util.Collections.reverse(lowestFirst);
        for (Path library : lowestFirst) {
            files.add(library.resolve("src/main/resources/META-INF/microprofile-config.properties"));
        }
        files.add(ownModule.get(0).resolve("src/main/resources/application.properties"));
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(read(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            properties.stringPropertyNames().stream().filter(key -> !key.startsWith("%")).sorted()
                    .forEach(key -> merged.put(key, properties.getProperty(key)));
        }
        return merged;
    }

    private static Stream<Path> javaFiles(Path module) {
        Path sources = module.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return Stream.empty();
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each file is parsed once per test JVM: several tests read the same modules. */
    private static CompilationUnit parse(Path file) {
        return PARSED.computeIfAbsent(file.toAbsolutePath().normalize(), f -> StaticJavaParser.parse(read(f)));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
