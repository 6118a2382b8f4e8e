package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.testkit.TestData;
import io.bitbridge.fakes.cloud.CloudTestClient.Reply;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.bitbucket.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hook management and real {@code repo:push} / {@code pullrequest:*} deliveries. */
class CloudWebhookTest {
    private static final String HOOKS = "/2.0/repositories/acme/game/hooks";
    private BitbucketCloudFake fake;
    private CloudTestClient client;
    private WebhookReceiver receiver;

    @BeforeEach
    void start() {
        fake = BitbucketCloudFake.sandboxBuilder()
                .user("dave", "Dave Writer", "dave@example.com")
                .member("acme", "dave", CloudPermission.WRITE)
                .apiToken("dave@example.com", "dave-token", "read:webhook:bitbucket", "write:webhook:bitbucket")
                .start();
        client = CloudTestClient.sandbox(fake);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        fake.close();
        receiver.close();
    }

    private JsonNode createHook(String path, String url, String secret, String... events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "test hook");
        body.put("url", url);
        body.put("active", true);
        body.put("events", List.of(events));
        if (secret != null) {
            body.put("secret", secret);
        }
        Reply reply = client.postJson(path, body);
        assertEquals(201, reply.status(), reply.body());
        return reply.json();
    }

    private void commitToMain(String file) {
        assertEquals(201, client.postForm("/2.0/repositories/acme/game/src", file, "content of " + file).status());
    }

    @Test
    void hooksHaveCrudWithBracedUuidsAndAWriteOnlySecret() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "ci");
        body.put("url", receiver.url("/hook"));
        body.put("active", true);
        body.put("events", List.of("repo:push"));
        body.put("secret", "s3cret");
        body.put("skip_cert_verification", true);
        body.put("history_enabled", true);
        Reply created = client.postJson(HOOKS, body);
        assertEquals(201, created.status());
        JsonNode hook = created.json();
        String uuid = hook.get("uuid").asText();
        assertTrue(uuid.matches("\\{[0-9a-f-]{36}}"), uuid);
        assertFalse(hook.has("secret"), "the secret is write-only");
        assertTrue(hook.get("secret_set").asBoolean());
        assertTrue(hook.get("skip_cert_verification").asBoolean());
        assertTrue(hook.get("history_enabled").asBoolean());
        assertEquals("repository", hook.get("subject_type").asText());
        String one = HOOKS + "/" + CloudJson.encode(uuid);
        assertEquals(200, client.get(one).status());
        JsonNode listed = CloudTestClient.anonymous(fake).get("/_sandbox/hooks").json();
        assertEquals(uuid, listed.get(0).get("uuid").asText());
        assertFalse(listed.toString().contains("s3cret"), "even the sandbox never shows secrets");
        assertEquals(1, client.get(HOOKS).json().get("size").asInt());
        Reply renamed = client.putJson(one, Map.of("description", "renamed"));
        assertEquals(200, renamed.status());
        assertEquals("renamed", renamed.json().get("description").asText());
        assertTrue(renamed.json().get("secret_set").asBoolean(), "omitting the secret on PUT keeps it");
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put("secret", null);
        assertFalse(client.putJson(one, clear).json().get("secret_set").asBoolean(), "null removes it");
        assertEquals(204, client.delete(one).status());
        assertEquals(404, client.get(one).status());
        assertEquals(400, client.postJson(HOOKS, Map.of("url", receiver.url("/x"), "events", List.of("repo:nope")))
                .status());
        assertEquals(400, client.postJson(HOOKS, Map.of("url", receiver.url("/x"), "events", List.of())).status());
        assertEquals(400, client.postJson(HOOKS, Map.of("url", "not a url", "events", List.of("repo:push")))
                .status());
    }

    @Test
    void onlyRepositoryAdminsManageRepositoryHooksAndOnlyOwnersWorkspaceHooks() {
        CloudTestClient dave = CloudTestClient.basic(fake, "dave@example.com", "dave-token");
        Map<String, Object> body = Map.of("url", receiver.url("/x"), "events", List.of("repo:push"));
        assertEquals(403, dave.postJson(HOOKS, body).status(), "write access is not enough");
        assertEquals(403, dave.postJson("/2.0/workspaces/acme/hooks", body).status());
        assertEquals(403, dave.get("/2.0/workspaces/acme/hooks").status());
        assertEquals(403, CloudTestClient.basic(fake, "dave@example.com", "dave-token").delete(HOOKS + "/x").status(),
                "deleting needs delete:webhook:bitbucket");
    }

    @Test
    void aCommitDeliversASignedRepoPushWithTheCloudHeaders() throws Exception {
        JsonNode hook = createHook(HOOKS, receiver.url("/signed"), "s3cret", "repo:push");
        createHook(HOOKS, receiver.url("/unsigned"), null, "repo:push");
        commitToMain("a.txt");
        fake.awaitDeliveries(Duration.ofSeconds(10));
        FakeRequest signed = receiver.received("/signed").get(0);
        assertEquals("repo:push", signed.header("X-Event-Key"));
        String uuid = hook.get("uuid").asText();
        assertEquals(uuid.substring(1, uuid.length() - 1), signed.header("X-Hook-UUID"));
        assertTrue(signed.header("X-Request-UUID").matches("[0-9a-f-]{36}"));
        assertEquals("1", signed.header("X-Attempt-Number"));
        assertEquals("Bitbucket-Webhooks/2.0", signed.header("User-Agent"));
        assertEquals("application/json", signed.header("Content-Type"));
        assertTrue(WebhookSignature.verify(signed.header("X-Hub-Signature"), signed.body(), List.of("s3cret")));
        assertTrue(signed.header("X-Hub-Signature").startsWith("sha256="));
        assertNull(receiver.received("/unsigned").get(0).header("X-Hub-Signature"), "no secret, no signature");
        JsonNode change = signed.json().get("push").get("changes").get(0);
        assertEquals("main", change.get("new").get("name").asText());
        assertEquals(fake.branchTip("acme", "game", "main"), change.get("new").get("target").get("hash").asText());
        assertFalse(change.get("created").asBoolean());
        assertEquals(1, change.get("commits").size());
        assertFalse(change.get("truncated").asBoolean());
        assertEquals("sandbox", signed.json().get("actor").get("nickname").asText());
    }

    @Test
    void resendingSendsEveryDeliveryAgainWithTheSameRequestAndTheNextAttemptNumber() {
        createHook(HOOKS, receiver.url("/resent"), "k", "repo:push");
        commitToMain("r1.txt");
        commitToMain("r2.txt");
        fake.awaitDeliveries(Duration.ofSeconds(10));
        List<FakeRequest> first = receiver.received("/resent");
        assertEquals(2, first.size());

        assertEquals(202, CloudTestClient.anonymous(fake).postJson("/_sandbox/deliveries", Map.of()).status());
        fake.awaitDeliveries(Duration.ofSeconds(10));

        List<FakeRequest> all = receiver.received("/resent");
        assertEquals(4, all.size());
        for (int i = 0; i < 2; i++) {
            FakeRequest original = all.get(i);
            FakeRequest again = all.get(i + 2);
            assertEquals(original.header("X-Request-UUID"), again.header("X-Request-UUID"), "the same request, resent");
            assertEquals(original.bodyText(), again.bodyText());
            assertEquals(original.header("X-Hub-Signature"), again.header("X-Hub-Signature"));
            assertEquals("2", again.header("X-Attempt-Number"));
        }
        assertTrue(fake.deliveries().stream().allMatch(a -> !a.answeredAt().isBefore(a.sentAt())));
    }

    @Test
    void aSlowHookHoldsBackOnlyItsOwnDeliveries() throws InterruptedException {
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        WebhookReceiver slow = new WebhookReceiver(gate);
        try {
            createHook(HOOKS, slow.url("/slow"), null, "repo:push");
            createHook(HOOKS, receiver.url("/fast"), null, "repo:push");
            commitToMain("s1.txt");
            commitToMain("s2.txt");
            long started = System.nanoTime();
            while (receiver.received("/fast").size() < 2 && System.nanoTime() - started < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(20);
            }
            assertEquals(2, receiver.received("/fast").size(), "both pushes reached the fast hook while the slow one was busy");
            assertTrue(slow.received("/slow").size() < 2);
            gate.countDown();
            fake.awaitDeliveries(Duration.ofSeconds(20));
            assertEquals(2, slow.received("/slow").size(), "the slow hook gets them too, in order");
        } finally {
            gate.countDown();
            slow.close();
        }
    }

    @Test
    void deliveryRetriesOnlyOn5xxThreeAttemptsInTotal() {
        receiver.script("/flaky", 500, 503).script("/down", 500, 500, 500, 500).script("/gone", 404);
        createHook(HOOKS, receiver.url("/flaky"), "k", "repo:push");
        createHook(HOOKS, receiver.url("/down"), null, "repo:push");
        createHook(HOOKS, receiver.url("/gone"), null, "repo:push");
        commitToMain("b.txt");
        fake.awaitDeliveries(Duration.ofSeconds(10));
        assertEquals(List.of("1", "2", "3"), attempts(receiver.received("/flaky")));
        assertEquals(List.of("1", "2", "3"), attempts(receiver.received("/down")), "at most 3 attempts");
        assertEquals(List.of("1"), attempts(receiver.received("/gone")), "4xx is final");
        Set<String> requestIds = new TreeSet<>();
        receiver.received("/flaky").forEach(r -> requestIds.add(r.header("X-Request-UUID")));
        assertEquals(1, requestIds.size(), "one event, one request UUID across attempts");
        assertEquals(7, fake.deliveries().size());
        List<Integer> statuses = fake.deliveries().stream().map(DeliveryAttempt::status).toList();
        assertTrue(statuses.containsAll(List.of(500, 503, 200, 404)));
        Reply listed = CloudTestClient.anonymous(fake).get("/_sandbox/deliveries");
        assertEquals(7, listed.json().size());
    }

    @Test
    void workspaceHooksHearEveryRepositoryAndInactiveOrUnsubscribedHooksStaySilent() {
        createHook("/2.0/workspaces/acme/hooks", receiver.url("/workspace"), null, "repo:push");
        JsonNode inactive = createHook(HOOKS, receiver.url("/inactive"), null, "repo:push");
        client.putJson(HOOKS + "/" + CloudJson.encode(inactive.get("uuid").asText()), Map.of("active", false));
        createHook(HOOKS, receiver.url("/pr-only"), null, "pullrequest:created");
        commitToMain("c.txt");
        assertEquals(201, client.postForm("/2.0/repositories/acme/infra/src", "d.txt", "d").status());
        assertEquals(201, client.postForm("/2.0/repositories/tools/scripts/src", "e.txt", "e").status());
        fake.awaitDeliveries(Duration.ofSeconds(10));
        List<String> repos = new ArrayList<>();
        receiver.received("/workspace").forEach(r -> repos.add(r.json().get("repository").get("full_name").asText()));
        assertEquals(List.of("acme/game", "acme/infra"), repos);
        assertTrue(receiver.received("/inactive").isEmpty());
        assertTrue(receiver.received("/pr-only").isEmpty());
        assertEquals(200, client.get("/2.0/workspaces/acme/hooks").status());
    }

    @Test
    void pullRequestEventsAreDeliveredWithShortHashes() throws IOException {
        createHook(HOOKS, receiver.url("/pr"), "pr-secret", "pullrequest:created", "pullrequest:fulfilled");
        assertEquals(201, client.postForm("/2.0/repositories/acme/game/src", "f.txt", "f", "branch", "feature")
                .status());
        fake.sendPullRequestEvent("acme", "game", "pullrequest:created",
                PullRequestSpec.open(7, "Add f", "feature", "main"), "sandbox");
        Reply viaSandbox = CloudTestClient.anonymous(fake).postJson("/_sandbox/pullrequest-events", Map.of(
                "workspace", "acme", "repository", "game", "event", "pullrequest:fulfilled", "id", 7,
                "title", "Add f", "source", "feature", "destination", "main"));
        assertEquals(202, viaSandbox.status());
        fake.awaitDeliveries(Duration.ofSeconds(10));
        List<FakeRequest> received = receiver.received("/pr");
        assertEquals(2, received.size());
        JsonNode created = received.get(0).json();
        assertEquals("pullrequest:created", received.get(0).header("X-Event-Key"));
        assertEquals("OPEN", created.get("pullrequest").get("state").asText());
        String hash = created.get("pullrequest").get("source").get("commit").get("hash").asText();
        assertEquals(12, hash.length());
        assertTrue(fake.branchTip("acme", "game", "feature").startsWith(hash));
        assertEquals("MERGED", received.get(1).json().get("pullrequest").get("state").asText());
        assertTrue(WebhookSignature.verify(received.get(1).header("X-Hub-Signature"), received.get(1).body(), List.of("pr-secret")));
        Path fixture = TestData.webhookFixtures().resolve(
                "woodpecker-ci-woodpecker/pullrequest_created__2025-pr-created.json");
        assertEquals(keys(readJson(fixture)), keys(created), "top-level keys as in the 2025 capture");
        assertEquals(keys(readJson(fixture).get("pullrequest")), keys(created.get("pullrequest")));
    }

    @Test
    void pushBodyHasTheShapeOfTheNewestCloudFixture() throws IOException {
        commitToMain("first.txt"); // so that the old tip has a parent, as in the fixture
        createHook(HOOKS, receiver.url("/shape"), null, "repo:push");
        commitToMain("shape.txt");
        fake.awaitDeliveries(Duration.ofSeconds(10));
        JsonNode delivered = receiver.received("/shape").get(0).json();
        JsonNode fixture = readJson(TestData.webhookFixtures().resolve(
                "woodpecker-ci-woodpecker/repo_push__2025-push.json"));
        List<String> differences = new ArrayList<>();
        compareShapes("", fixture, delivered, differences);
        assertEquals(List.of(), differences);
    }

    @Test
    void changeKeysMatchEveryRealCloudPushFixtureOfTheSameKind() throws IOException {
        createHook(HOOKS, receiver.url("/kinds"), null, "repo:push");
        commitToMain("update.txt");
        assertEquals(201, client.postForm("/2.0/repositories/acme/game/src", "n.txt", "n", "branch", "fresh").status());
        assertEquals(204, client.delete("/2.0/repositories/acme/game/refs/branches/fresh").status());
        fake.awaitDeliveries(Duration.ofSeconds(10));
        List<FakeRequest> received = receiver.received("/kinds");
        assertEquals(3, received.size());
        Map<String, Set<String>> ours = new LinkedHashMap<>();
        for (FakeRequest request : received) {
            JsonNode change = request.json().get("push").get("changes").get(0);
            ours.put(kind(change), keys(change));
            assertEquals(Set.of("actor", "push", "repository"), keys(request.json()));
        }
        int compared = 0;
        for (String name : List.of("drone-go-scm/repo_push__push.json", "drone-go-scm/repo_push__push-branch-create.json",
                "drone-go-scm/repo_push__push-branch-delete.json", "go-playground-webhooks/repo_push__repo-push.json",
                "woodpecker-ci-woodpecker/repo_push__2025-push.json", "woodpecker-ci-woodpecker/repo_push__head-push.json")) {
            JsonNode fixture = readJson(TestData.webhookFixtures().resolve(name));
            assertEquals(Set.of("actor", "push", "repository"), keys(fixture), name);
            JsonNode change = fixture.get("push").get("changes").get(0);
            assertEquals(keys(change), ours.get(kind(change)), name + " (" + kind(change) + ")");
            compared++;
        }
        assertEquals(6, compared);
    }

    private static String kind(JsonNode change) {
        return change.get("created").asBoolean() ? "create" : change.get("closed").asBoolean() ? "delete" : "update";
    }

    /** Objects must have the same keys (recursively); arrays are compared on their first elements. */
    static void compareShapes(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": expected an object, got " + actual.getNodeType());
                return;
            }
            if (!keys(expected).equals(keys(actual))) {
                differences.add(path + ": keys " + keys(expected) + " vs " + keys(actual));
            }
            expected.fieldNames().forEachRemaining(name -> {
                if (actual.has(name)) {
                    compareShapes(path + "." + name, expected.get(name), actual.get(name), differences);
                }
            });
        } else if (expected.isArray() && !expected.isEmpty()) {
            if (!actual.isArray() || actual.isEmpty()) {
                differences.add(path + ": expected a non-empty array");
                return;
            }
            compareShapes(path + "[0]", expected.get(0), actual.get(0), differences);
        }
    }

    static Set<String> keys(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode readJson(Path path) throws IOException {
        return FakeJson.parse(Files.readAllBytes(path));
    }

    private static List<String> attempts(List<FakeRequest> requests) {
        return requests.stream().map(r -> r.header("X-Attempt-Number")).toList();
    }
}
