package io.bitbridge.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One Bitbridge service as the launcher runs it and Kubernetes deploys it: its name (also its module directory),
 * HTTP port, replicas and a one-line role. {@link #ALL} is read from {@value #LIST}, the one list of services.
 */
public record ServiceSpec(String name, int port, int replicas, String role) {
    /** The class path resource (src/main/resources/services.tsv) that lists the services. */
    public static final String LIST = "/services.tsv";

    public static final List<ServiceSpec> ALL = read();

    /** The service of that name in {@link #ALL}. */
    public static ServiceSpec named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name + " in " + LIST));
    }

    public Path runnableJar(Path projectRoot) {
        return projectRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private static List<ServiceSpec> read() {
        try (InputStream in = ServiceSpec.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the list: {@code #} starts a comment line; other lines are name, port, replicas and role, tab-separated. */
    static List<ServiceSpec> parse(String text) {
        List<ServiceSpec> services = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = "services.tsv line " + (i + 1) + ": ";
            String[] fields = line.split("\t", -1);
            if (fields.length != 4 || !fields[0].matches("[a-z][a-z0-9-]*") || !fields[1].matches("\\d{2,5}")
                    || !fields[2].matches("[1-9]\\d*") || fields[3].isBlank()) {
                throw new IllegalStateException(where + "expected name, port, replicas and role separated by tabs, not '" + line + "'");
            }
            ServiceSpec spec = new ServiceSpec(fields[0], Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), fields[3].strip());
            if (!names.add(spec.name) || !ports.add(spec.port)) {
                throw new IllegalStateException(where + "name " + spec.name + " or port " + spec.port + " is listed twice");
            }
            services.add(spec);
        }
        return List.copyOf(services);
    }
}
