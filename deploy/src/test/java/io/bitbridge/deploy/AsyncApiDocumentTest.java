package io.bitbridge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import io.bitbridge.events.EventType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/asyncapi.yaml is generated from libs/events and the services' messaging, is current, and is what every service
 * serves at /asyncapi.yaml; the producers it names are those whose code publishes.
 */
class AsyncApiDocumentTest {
    private static final String REFRESH = "./mvnw -B -q verify -pl deploy -am -Dtest=AsyncApiDocumentTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dbitbridge.generated.write=true";
    private static final Path DOCUMENT = ServiceSources.ROOT.resolve("docs/asyncapi.yaml");

    static String generated() {
        String version = ServiceSources.of(ServiceSpec.ALL.get(0).name()).configuration().get("quarkus.smallrye-openapi.info-version");
        return AsyncApiDocument.render(TopicCatalogue.read(ServiceSpec.ALL), version);
    }

    @Test
    void theCheckedInDocumentIsTheGeneratedOne() throws IOException {
        String generated = generated();
        if (Boolean.getBoolean("bitbridge.generated.write")) {
            Files.writeString(DOCUMENT, generated);
        }
        assertEquals(generated, Files.exists(DOCUMENT) ? Files.readString(DOCUMENT) : "",
                "docs/asyncapi.yaml differs from what libs/events and the services give; refresh it with: " + REFRESH);
    }

    @Test
    void everyTopicHasItsChannelMessageAndOperations() throws IOException {
        JsonNode document = Kustomize.YAML.readTree(generated());
        assertEquals("3.0.0", document.get("asyncapi").asText());
        TopicCatalogue catalogue = TopicCatalogue.read(ServiceSpec.ALL);
        for (TopicCatalogue.Topic topic : catalogue.topics()) {
            String id = AsyncApiDocument.id(topic.name());
            JsonNode channel = document.path("channels").path(id);
            assertEquals(topic.name(), channel.path("address").asText());
            assertEquals(topic.type().compacted() ? "compact" : "delete",
                    channel.path("bindings").path("kafka").path("topicConfiguration").path("cleanup.policy").get(0).asText());
            JsonNode message = document.path("components").path("messages").path(id);
            assertEquals(topic.type().ceType(), message.path("headers").path("properties").path("ce_type").path("const").asText());
            assertEquals(topic.type().key(), message.path("bindings").path("kafka").path("key").path("description").asText());
            assertEquals(topic.type().recordType().getSimpleName(), message.path("payload").path("schema").path("title").asText());
            Set<String> operations = new TreeSet<>();
            document.path("operations").properties().forEach(o -> {
                if (o.getValue().path("channel").path("$ref").asText().equals("#/channels/" + id)) {
                    operations.add(o.getValue().path("action").asText() + " " + o.getKey().substring(0, o.getKey().indexOf("-" + o.getValue().path("action").asText())));
                }
            });
            Set<String> expected = new TreeSet<>();
            topic.producer().ifPresent(p -> expected.add("send " + p));
            topic.consumers().forEach(c -> expected.add("receive " + c.service()));
            assertEquals(expected, operations, topic.name());
        }
        assertEquals(Set.of("commit-tracker", "build-trigger", "gitops-writer"), catalogue.topics().stream()
                .filter(t -> t.type() == EventType.PUSH_EXPANDED).flatMap(t -> t.consumers().stream())
                .map(TopicCatalogue.Consumer::service).collect(Collectors.toSet()));
    }

    @Test
    void theDeclaredProducersAreTheServicesWhoseCodePublishes() {
        Map<String, Set<EventType>> published = new TreeMap<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            Set<EventType> own = ServiceSources.of(spec.name()).ownSources().stream()
                    .flatMap(unit -> unit.findAll(FieldAccessExpr.class, f -> f.getScope().toString().equals("EventType")).stream())
                    .map(f -> EventType.valueOf(f.getNameAsString())).collect(Collectors.toCollection(TreeSet::new));
            published.put(spec.name(), own);
        }
        TopicCatalogue.PRODUCERS.forEach((type, producer) -> assertTrue(ServiceSources.of(producer).mentions("EventType." + type.name()),
                producer + " is declared to publish " + type.topic() + " but neither it nor its libraries name EventType." + type.name()));
        published.forEach((service, types) -> types.forEach(type -> assertEquals(service, TopicCatalogue.PRODUCERS.get(type),
                service + " names EventType." + type.name() + ": declare it in TopicCatalogue.PRODUCERS")));
    }

    @Test
    void everyServiceServesTheDocument() throws IOException {
        try (InputStream served = AsyncApiDocumentTest.class.getResourceAsStream("/META-INF/resources/asyncapi.yaml")) {
            assertNotNull(served, "libs/service-common must package docs/asyncapi.yaml as META-INF/resources/asyncapi.yaml");
            assertEquals(Files.readString(DOCUMENT), new String(served.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
