package io.bitbridge.fakes.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.testkit.TestData;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The {@code repo:refs_changed} bodies the Server fake delivers have the key shape of the real Server / Data
 * Center payloads in {@code fixtures/bitbucket/public}: every key path present in all of them, and for ref
 * additions and updates every key path present in all Data Center payloads (those with {@code toCommit}).
 * The same holds for {@code pr:*} bodies against the fixtures of their event key.
 */
class RefsChangedFixtureShapeTest {

    @Test
    void deliveredBodiesCarryEveryKeyTheServerFixturesShare() throws Exception {
        List<JsonNode> fixtures = serverRefsChangedFixtures();
        assertTrue(fixtures.size() >= 8, "expected the Server refs_changed fixtures, found " + fixtures.size());
        Set<String> everywhere = sharedKeyPaths(fixtures);
        Set<String> dataCenter = sharedKeyPaths(fixtures.stream().filter(f -> f.has("toCommit")).toList());
        assertTrue(everywhere.contains("changes[].ref.displayId"), everywhere.toString());
        assertTrue(dataCenter.contains("toCommit.id") && dataCenter.contains("commits[].id"), dataCenter.toString());

        try (BitbucketServerFake server = BitbucketServerFake.sandbox(0);
             FakeHttpServer receiver = FakeHttpServer.builder("receiver", r -> FakeResponse.empty(204)).start()) {
            // a project-level hook: every repository of OPS delivers to it
            long now = System.currentTimeMillis();
            server.model().projectWebhooks(server.model().project("OPS").orElseThrow()).put(new ServerWebhook(1, "shape", receiver.baseUri() + "/hook", true,
                    List.of("repo:refs_changed"), Map.of(), true, null, null, now, now));
            server.commitFiles("OPS", "platform", "main", Map.of("a.txt", "update"), "Update main", "sandbox");
            server.commitFiles("OPS", "platform", "feature/new", Map.of("b.txt", "add"), "Add branch", "sandbox");
            server.deleteRef("OPS", "platform", "refs/heads/feature/new", "sandbox");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(3, receiver.requests().all().size()));

            List<String> types = new ArrayList<>();
            for (RecordedRequest delivery : receiver.requests().all()) {
                JsonNode body = delivery.request().json();
                String type = body.path("changes").path(0).path("type").asText();
                types.add(type);
                Set<String> keys = keyPaths(body);
                assertMissing(everywhere, keys, type);
                if (!type.equals("DELETE")) {
                    assertMissing(dataCenter, keys, type + " (Data Center)");
                }
            }
            assertEquals(List.of("UPDATE", "ADD", "DELETE"), types);
        }
    }

    @Test
    void pullRequestBodiesCarryEveryKeyTheServerPrFixturesShare() throws Exception {
        try (BitbucketServerFake server = BitbucketServerFake.sandbox(0);
             FakeHttpServer receiver = FakeHttpServer.builder("receiver", r -> FakeResponse.empty(204)).start()) {
            long now = System.currentTimeMillis();
            List<String> events = List.of("pr:opened", "pr:merged", "pr:declined", "pr:from_ref_updated");
            server.repository("OPS", "platform").webhooks().put(new ServerWebhook(1, "pr", receiver.baseUri() + "/hook",
                    true, events, Map.of(), true, null, null, now, now));
            server.commitFiles("OPS", "platform", "feature/x", Map.of("x.txt", "x"), "x", "sandbox");
            for (String event : events) {
                server.pullRequestEvent(event, "OPS", "platform", 3, "X", "Adds x", "feature/x", "main", "sandbox");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(events.size(), receiver.requests().all().size()));
            String mainTip = ObjectId.toString(server.repository("OPS", "platform").git().resolve("refs/heads/main"));
            for (RecordedRequest delivery : receiver.requests().all()) {
                String event = delivery.request().header("X-Event-Key");
                if (event.equals("pr:merged")) {
                    // the merge really happened: main now points at the merge commit
                    assertEquals(mainTip, delivery.request().json().path("pullRequest").path("properties")
                            .path("mergeCommit").path("id").asText());
                }
                List<JsonNode> fixtures = serverFixtures(event);
                assertTrue(!fixtures.isEmpty(), "fixtures for " + event);
                assertMissing(sharedKeyPaths(fixtures), keyPaths(delivery.request().json()), event);
            }
        }
    }

    private static void assertMissing(Set<String> required, Set<String> actual, String what) {
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(actual);
        assertEquals(Set.of(), missing, what + " body lacks keys every fixture has");
    }

    /** Server {@code repo:refs_changed} fixtures, without the hand-written minimal curl example. */
    private static List<JsonNode> serverRefsChangedFixtures() throws IOException {
        return serverFixtures("repo:refs_changed");
    }

    private static List<JsonNode> serverFixtures(String eventKey) throws IOException {
        Path root = TestData.webhookFixtures();
        List<JsonNode> fixtures = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("MANIFEST.tsv"))) {
            String[] columns = line.split("\t");
            if (columns.length > 2 && columns[1].equals("server") && columns[2].equals(eventKey)
                    && !columns[0].contains("curl-example")) {
                fixtures.add(FakeJson.parse(Files.readString(root.resolve(columns[0]))));
            }
        }
        return fixtures;
    }

    private static Set<String> sharedKeyPaths(List<JsonNode> bodies) {
        Set<String> shared = null;
        for (JsonNode body : bodies) {
            Set<String> keys = keyPaths(body);
            if (shared == null) {
                shared = new HashSet<>(keys);
            } else {
                shared.retainAll(keys);
            }
        }
        return shared == null ? Set.of() : shared;
    }

    /** Dotted key paths; array elements collapse into {@code []} (union over the elements). */
    static Set<String> keyPaths(JsonNode node) {
        Set<String> out = new TreeSet<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                out.add(path);
                collect(field.getValue(), path, out);
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, prefix + "[]", out));
        }
    }
}
