package io.bitbridge.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything that names the services follows src/main/resources/services.tsv: the Kubernetes manifests and the
 * README's service table are generated from it (checked in, and compared here), the root pom has a module per
 * service, and each service listens on its listed port when run by hand. Run with
 * {@code -Dbitbridge.generated.write=true} to rewrite the generated files after changing the list.
 */
class ServiceManifestsTest {
    private static final String REFRESH = "./mvnw -B -q verify -pl deploy -am -Dtest=ServiceManifestsTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dbitbridge.generated.write=true";
    private static final Path ROOT = Path.of("..");
    private static final Path README = ROOT.resolve("README.md");
    static final String TABLE_START = "<!-- services table: generated from deploy/src/main/resources/services.tsv; edit the list, not the table -->";
    static final String TABLE_END = "<!-- end of services table -->";

    @Test
    void kubernetesManifestsAreGeneratedFromTheServiceListAndTheTopics() throws IOException {
        Map<Path, String> generated = KubernetesManifest.render(ServiceSpec.ALL, TopicCatalogue.read(ServiceSpec.ALL));
        for (Map.Entry<Path, String> file : generated.entrySet()) {
            if (Boolean.getBoolean("bitbridge.generated.write")) {
                Files.createDirectories(file.getKey().getParent());
                Files.writeString(file.getKey(), file.getValue());
            }
            assertEquals(file.getValue(), Files.exists(file.getKey()) ? Files.readString(file.getKey()) : "",
                    "deploy/" + file.getKey() + " differs from what services.tsv and libs/events give; refresh it with: " + REFRESH);
        }
    }

    @Test
    void readmeServiceTableIsGeneratedFromTheServiceList() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf(TABLE_START);
        int end = readme.indexOf(TABLE_END);
        assertTrue(start >= 0 && end > start, "README.md needs the lines " + TABLE_START + " and " + TABLE_END + " around the table");
        String table = ServiceSpec.ALL.stream()
                .map(s -> "| " + s.name() + " | " + s.port() + " | " + s.role() + " |\n")
                .collect(Collectors.joining("", TABLE_START + "\n| service | port | what it owns |\n|---|---|---|\n", ""));
        String generated = readme.substring(0, start) + table + readme.substring(end);
        if (Boolean.getBoolean("bitbridge.generated.write")) {
            Files.writeString(README, generated);
        }
        assertEquals(generated, Files.readString(README),
                "README.md's service table differs from services.tsv; refresh it with: " + REFRESH);
    }

    @Test
    void everyListedServiceIsAModuleOfTheRootPomAndEveryServiceModuleIsListed() throws IOException {
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        Set<String> serviceModules = new TreeSet<>();
        while (module.find()) {
            String name = module.group(1).strip();
            // The libraries, the launcher and the end-to-end tests are modules, not services.
            if (!name.startsWith("libs/") && !name.equals("deploy") && !name.equals("e2e")) {
                serviceModules.add(name);
            }
        }
        Set<String> listed = ServiceSpec.ALL.stream().map(ServiceSpec::name).collect(Collectors.toCollection(TreeSet::new));
        for (String name : listed) {
            assertTrue(serviceModules.contains(name), "services.tsv lists " + name + ": add <module>" + name + "</module> to the root pom.xml");
        }
        for (String name : serviceModules) {
            assertTrue(listed.contains(name), name + " is a module of the root pom.xml: add its line to deploy/src/main/resources/services.tsv");
        }
    }

    @Test
    void eachServiceListensOnItsListedPortWhenRunByHand() throws IOException {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            Path properties = ROOT.resolve(spec.name()).resolve("src/main/resources/application.properties");
            String expected = "quarkus.http.port=${BITBRIDGE_HTTP_PORT:" + spec.port() + "}";
            assertTrue(Files.readAllLines(properties).contains(expected),
                    spec.name() + ": services.tsv gives port " + spec.port() + ", so " + properties.normalize() + " needs the line " + expected);
        }
    }

    @Test
    void aMalformedListIsRefusedWithItsLineNumber() {
        assertEquals(List.of(new ServiceSpec("a-service", 8090, 1, "does a thing")),
                ServiceSpec.parse("# comment\n\na-service\t8090\t1\tdoes a thing\n"));
        IllegalStateException spaces = assertThrows(IllegalStateException.class, () -> ServiceSpec.parse("# c\na-service 8090 1 role\n"));
        assertTrue(spaces.getMessage().startsWith("services.tsv line 2: expected name, port, replicas and role"), spaces.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> ServiceSpec.parse("a\t8090\t1\tx\nb\t8090\t1\ty\n"));
        assertEquals("services.tsv line 2: name b or port 8090 is listed twice", twice.getMessage());
        assertFalse(ServiceSpec.ALL.isEmpty());
    }
}
