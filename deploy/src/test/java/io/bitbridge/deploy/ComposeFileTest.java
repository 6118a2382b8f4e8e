package io.bitbridge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/compose.yaml (not run here: no Docker) against the service list and the Kubernetes manifests: the same
 * services, ports, images, topics and environment variables, except where one machine differs from a cluster on
 * purpose (tokens minted from the local key pair instead of an issuer's client-credentials grant).
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("compose.yaml");
    private static JsonNode compose() throws IOException {
        return Kustomize.YAML.readTree(COMPOSE.toFile());
    }

    @Test
    void composeRunsKafkaPostgresTheTopicsAndEveryListedService() throws IOException {
        Set<String> expected = new TreeSet<>(List.of("kafka", "topics", "postgres"));
        ServiceSpec.ALL.forEach(s -> expected.add(s.name()));
        Set<String> actual = new TreeSet<>();
        compose().path("services").fieldNames().forEachRemaining(actual::add);
        assertEquals(expected, actual);
        assertEquals(KubernetesManifest.KAFKA_IMAGE, compose().path("services").path("kafka").path("image").asText());
        assertEquals("broker,controller", compose().path("services").path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText(),
                "a single KRaft node, no ZooKeeper");
    }

    @Test
    void eachServiceListensOnItsListedPortWithTheImageKubernetesRuns() throws IOException {
        KubernetesManifestsTest.Rendered base = new KubernetesManifestsTest.Rendered(
                Kustomize.build(Path.of("kubernetes", "base")).stream().map(KubernetesTypes::parse).toList());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            JsonNode service = compose().path("services").path(spec.name());
            assertEquals(String.valueOf(spec.port()), service.path("environment").path("BITBRIDGE_HTTP_PORT").asText(), spec.name());
            String published = service.path("ports").get(0).asText();
            assertTrue(published.endsWith(":" + spec.port() + ":" + spec.port()) || published.equals(spec.port() + ":" + spec.port()), published);
            assertEquals(spec.name(), service.path("build").path("args").path("SERVICE").asText());
            assertEquals("deploy/Dockerfile", service.path("build").path("dockerfile").asText());
            assertEquals(base.container(spec.name()).getImage(), service.path("image").asText(), spec.name());
        }
    }

    @Test
    void eachServiceGetsTheEnvironmentItsDeploymentGets() throws IOException {
        KubernetesManifestsTest.Rendered cluster = KubernetesManifestsTest.Rendered.of("production");
        for (ServiceSpec spec : ServiceSpec.ALL) {
            Set<String> compose = new TreeSet<>();
            compose().path("services").path(spec.name()).path("environment").fieldNames().forEachRemaining(compose::add);
            Container container = cluster.container(spec.name());
            Predicate<String> reads = RequiredSettings.reads(ServiceSources.of(spec.name()));
            List<String> unread = compose.stream().filter(reads.negate()).toList();
            assertEquals(List.of(), unread, spec.name() + " reads no such variable");
            // The shared ConfigMap gives every service every shared setting; compared are those the service reads.
            Set<String> kubernetes = cluster.environment(container).stream().filter(reads).collect(Collectors.toCollection(TreeSet::new));
            // Service tokens come from the issuer here too: no service holds a signing key.
            assertEquals(kubernetes, compose, spec.name() + ": compose.yaml and its Deployment differ");
            List<String> missing = RequiredSettings.of(ServiceSources.of(spec.name())).stream()
                    .filter(r -> !r.satisfiedBy(compose)).map(RequiredSettings.Requirement::property).toList();
            assertEquals(List.of(), missing, spec.name());
            for (JsonNode volume : compose().path("services").path(spec.name()).path("volumes")) {
                assertTrue(!volume.asText().contains("keys"), spec.name() + " mounts no key: " + volume.asText());
            }
        }
    }

    @Test
    void theTopicsAreThoseKubernetesCreates() throws IOException {
        String script = compose().path("services").path("topics").path("command").get(2).asText();
        KubernetesManifestsTest.assertCreatesEveryTopic(script);
        Set<String> waitFor = ServiceSpec.ALL.stream().map(ServiceSpec::name).collect(Collectors.toSet());
        for (String name : waitFor) {
            assertEquals("service_completed_successfully",
                    compose().path("services").path(name).path("depends_on").path("topics").path("condition").asText(), name);
        }
    }
}
