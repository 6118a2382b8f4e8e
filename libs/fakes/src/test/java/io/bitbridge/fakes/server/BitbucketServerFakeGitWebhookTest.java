package io.bitbridge.fakes.server;

import static io.bitbridge.fakes.server.ServerClient.SANDBOX_BEARER;
import static io.bitbridge.fakes.server.ServerClient.basic;
import static io.bitbridge.fakes.server.ServerClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.bitbucket.webhook.WebhookSignature;
import io.bitbridge.fakes.common.JGitClientIsolation;
import io.bitbridge.fakes.common.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git smart HTTP with a real JGit client, webhooks CRUD, and the deliveries pushes and test methods cause. */
class BitbucketServerFakeGitWebhookTest {

    private static final String PLATFORM = "/rest/api/1.0/projects/OPS/repos/platform";
    private static final String ZERO = "0".repeat(40);
    private static JGitClientIsolation gitIsolation;

    @TempDir
    Path work;
    private BitbucketServerFake server;
    private FakeHttpServer receiver;
    private ServerContract contract;
    private ServerClient client;
    private final UsernamePasswordCredentialsProvider sandboxCredentials =
            new UsernamePasswordCredentialsProvider(BitbucketServerFake.SANDBOX_USER, BitbucketServerFake.SANDBOX_TOKEN);

    /** Keeps JGit away from the user's ~/.gitconfig and ~/.config/jgit. */
    @BeforeAll
    static void isolateGitConfig(@TempDir Path home) throws IOException {
        gitIsolation = JGitClientIsolation.in(home);
    }

    @AfterAll
    static void restoreGitConfig() {
        gitIsolation.close();
    }

    @BeforeEach
    void start() {
        server = BitbucketServerFake.sandbox(0);
        receiver = FakeHttpServer.builder("receiver", request -> FakeResponse.empty(200)).start();
        contract = new ServerContract();
        client = new ServerClient(server.baseUrl(), contract::check);
    }

    @AfterEach
    void stop() {
        server.close();
        receiver.close();
        assertEquals(List.of(), contract.failures(), "responses that break the Data Center OpenAPI document");
    }

    @Test
    void cloneCommitAndPushDeliverASignedRefsChanged() throws Exception {
        int hookId = createHook(PLATFORM, List.of("repo:refs_changed"), "s3cr3t");
        assertTrue(hookId > 0);
        Path checkout = work.resolve("platform");
        String oldTip;
        String newTip;
        try (Git git = Git.cloneRepository().setURI(server.cloneUrl("OPS", "platform")).setDirectory(checkout.toFile())
                .setCredentialsProvider(sandboxCredentials).call()) {
            assertEquals("main", git.getRepository().getBranch());
            assertEquals("# platform\n", Files.readString(checkout.resolve("README.md")));
            oldTip = git.getRepository().resolve("HEAD").name();
            Files.writeString(checkout.resolve("app.yaml"), "replicas: 2\n");
            git.add().addFilepattern("app.yaml").call();
            RevCommit commit = git.commit().setMessage("Scale app").setAuthor("Dev", "dev@example.com")
                    .setCommitter("Dev", "dev@example.com").call();
            newTip = commit.name();
            git.push().setCredentialsProvider(sandboxCredentials).call();
            git.tag().setName("v1.0").setAnnotated(false).call();
            git.push().setPushTags().setCredentialsProvider(sandboxCredentials).call();
        }
        assertEquals(newTip, ObjectId.toString(server.repository("OPS", "platform").git().resolve("refs/heads/main")));

        List<RecordedRequest> deliveries = awaitDeliveries(2);
        RecordedRequest delivery = deliveries.get(0);
        assertEquals("repo:refs_changed", delivery.request().header("X-Event-Key"));
        UUID.fromString(delivery.request().header("X-Request-Id"));
        assertTrue(!delivery.request().header("X-Request-Id").equals(deliveries.get(1).request().header("X-Request-Id")));
        JsonNode tag = deliveries.get(1).request().json().path("changes").path(0);
        assertEquals("TAG", tag.path("ref").path("type").asText());
        assertEquals("v1.0", tag.path("ref").path("displayId").asText());
        assertEquals("refs/tags/v1.0", tag.path("refId").asText());
        assertEquals("ADD", tag.path("type").asText());
        assertEquals(newTip, tag.path("toHash").asText());
        assertEquals(WebhookSignature.sign("s3cr3t", delivery.request().body()), delivery.request().header("X-Hub-Signature"));
        JsonNode body = delivery.request().json();
        assertEquals("repo:refs_changed", body.path("eventKey").asText());
        assertEquals("sandbox", body.path("actor").path("name").asText());
        assertEquals("OPS", body.path("repository").path("project").path("key").asText());
        assertEquals(server.cloneUrl("OPS", "platform"), body.path("repository").path("links").path("clone").path(0).path("href").asText());
        JsonNode change = body.path("changes").path(0);
        assertEquals("refs/heads/main", change.path("ref").path("id").asText());
        assertEquals("main", change.path("ref").path("displayId").asText());
        assertEquals("BRANCH", change.path("ref").path("type").asText());
        assertEquals("refs/heads/main", change.path("refId").asText());
        assertEquals(oldTip, change.path("fromHash").asText());
        assertEquals(newTip, change.path("toHash").asText());
        assertEquals("UPDATE", change.path("type").asText());
        assertEquals(newTip, body.path("toCommit").path("id").asText());
        assertEquals(oldTip, body.path("toCommit").path("parents").path(0).path("id").asText());
        assertEquals(1, body.path("commits").size());
        assertEquals("Scale app", body.path("commits").path(0).path("message").asText());
        assertEquals(newTip, json(client.get(PLATFORM + "/commits?limit=1"), 200).path("values").path(0).path("id").asText());
    }

    @Test
    void pushIntoAnEmptyRepositoryCreatesTheBranchAsFluxBootstrapDoes() throws Exception {
        String repos = "/rest/api/1.0/projects/OPS/repos";
        json(client.call("POST", repos, "{\"name\":\"fleet-infra\",\"scmId\":\"git\"}", SANDBOX_BEARER), 201);
        String fleet = repos + "/fleet-infra";
        createHook(fleet, List.of("repo:refs_changed"), null);
        assertEquals(204, client.get(fleet + "/branches/default").statusCode());

        Path local = work.resolve("fleet");
        String pushed;
        try (Git git = Git.init().setInitialBranch("main").setDirectory(local.toFile()).call()) {
            Files.writeString(local.resolve("gotk-components.yaml"), "kind: Namespace\n");
            git.add().addFilepattern(".").call();
            pushed = git.commit().setMessage("Add Flux components").setAuthor("flux", "flux@example.com")
                    .setCommitter("flux", "flux@example.com").call().name();
            // A personal token only works under its owner's name.
            assertThrows(TransportException.class, () -> git.push().setRemote(server.cloneUrl("OPS", "fleet-infra"))
                    .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
                    .setCredentialsProvider(new UsernamePasswordCredentialsProvider("git", BitbucketServerFake.SANDBOX_TOKEN))
                    .call());
        }
        awaitNothingFor(fleet);

        try (Git git = Git.open(local.toFile())) {
            git.push().setRemote(server.cloneUrl("OPS", "fleet-infra"))
                    .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"), new RefSpec("refs/heads/main:refs/heads/feature"))
                    .setCredentialsProvider(sandboxCredentials).call();
            // delete the extra branch again
            git.push().setRemote(server.cloneUrl("OPS", "fleet-infra")).setRefSpecs(new RefSpec(":refs/heads/feature"))
                    .setCredentialsProvider(sandboxCredentials).call();
        }
        List<RecordedRequest> deliveries = awaitDeliveries(2);
        JsonNode created = deliveries.get(0).request().json();
        assertNull(deliveries.get(0).request().header("X-Hub-Signature"), "no secret, no signature");
        assertEquals(2, created.path("changes").size());
        for (JsonNode change : created.path("changes")) {
            assertEquals("ADD", change.path("type").asText());
            assertEquals(ZERO, change.path("fromHash").asText());
            assertEquals(pushed, change.path("toHash").asText());
        }
        JsonNode deleted = deliveries.get(1).request().json().path("changes").path(0);
        assertEquals("DELETE", deleted.path("type").asText());
        assertEquals("refs/heads/feature", deleted.path("refId").asText());
        assertEquals(pushed, deleted.path("fromHash").asText());
        assertEquals(ZERO, deleted.path("toHash").asText());

        // The instance default is master; flux sets main afterwards.
        assertEquals(204, client.get(fleet + "/branches/default").statusCode());
        assertEquals(204, client.call("PUT", fleet + "/branches/default", "{\"id\":\"refs/heads/main\"}", SANDBOX_BEARER).statusCode());
        assertEquals("refs/heads/main", json(client.get(fleet + "/branches/default"), 200).path("id").asText());
        try (Git clone = Git.cloneRepository().setURI(server.cloneUrl("OPS", "fleet-infra"))
                .setDirectory(work.resolve("fleet-clone").toFile()).setCredentialsProvider(sandboxCredentials).call()) {
            assertTrue(Files.exists(work.resolve("fleet-clone/gotk-components.yaml")));
            assertEquals("main", clone.getRepository().getBranch());
        }
    }

    @Test
    void gitRefusesBadCredentialsAndPushesWithAReadOnlyToken() throws Exception {
        assertThrows(TransportException.class, () -> Git.cloneRepository().setURI(server.cloneUrl("OPS", "platform"))
                .setDirectory(work.resolve("bad").toFile())
                .setCredentialsProvider(new UsernamePasswordCredentialsProvider("sandbox", "wrong")).call().close());
        server.model().addToken(new ServerAccessToken("read", "read-token", "sandbox", ServerPermission.REPO_READ, null, null));
        UsernamePasswordCredentialsProvider readOnly = new UsernamePasswordCredentialsProvider("sandbox", "read-token");
        Path checkout = work.resolve("read");
        try (Git git = Git.cloneRepository().setURI(server.cloneUrl("OPS", "platform")).setDirectory(checkout.toFile())
                .setCredentialsProvider(readOnly).call()) {
            Files.writeString(checkout.resolve("x.txt"), "x");
            git.add().addFilepattern("x.txt").call();
            git.commit().setMessage("x").setAuthor("a", "a@example.com").setCommitter("a", "a@example.com").call();
            assertThrows(TransportException.class, () -> git.push().setCredentialsProvider(readOnly).call());
        }
    }

    @Test
    void webhookCrudNeedsRepoAdmin() {
        String hooks = PLATFORM + "/webhooks";
        JsonNode created = json(client.call("POST", hooks, "{\"name\":\"ci\",\"url\":\"" + receiver.baseUri() + "/hook\","
                + "\"events\":[\"repo:refs_changed\",\"pr:opened\"],\"active\":true,\"configuration\":{\"secret\":\"abc\"}}",
                SANDBOX_BEARER), 200);
        int id = created.path("id").asInt();
        assertTrue(created.path("id").isInt());
        assertEquals("abc", created.path("configuration").path("secret").asText());
        assertEquals(2, created.path("events").size());
        assertTrue(created.path("createdDate").isNumber());

        JsonNode listed = json(client.get(hooks), 200);
        assertEquals(1, listed.path("size").asInt());
        assertEquals(0, json(client.get(hooks + "?event=pr:merged"), 200).path("size").asInt());
        assertEquals("ci", json(client.get(hooks + "/" + id), 200).path("name").asText());
        JsonNode updated = json(client.call("PUT", hooks + "/" + id, "{\"active\":false,\"events\":[\"pr:merged\"]}",
                SANDBOX_BEARER), 200);
        assertEquals(false, updated.path("active").asBoolean());
        assertEquals("pr:merged", updated.path("events").path(0).asText());
        assertEquals("abc", updated.path("configuration").path("secret").asText(), "fields left out keep their values");

        assertEquals(400, client.call("POST", hooks, "{\"name\":\"x\",\"url\":\"not a url\",\"events\":[\"repo:refs_changed\"]}",
                SANDBOX_BEARER).statusCode());
        assertEquals(400, client.call("POST", hooks, "{\"name\":\"x\",\"url\":\"http://h/x\",\"events\":[]}",
                SANDBOX_BEARER).statusCode());

        server.model().addUser("dev", "Developer", ServerPermission.REPO_WRITE);
        server.model().setPassword("dev", "pw");
        assertEquals(401, client.call("GET", hooks, null, basic("dev", "pw")).statusCode());
        assertEquals(401, client.call("GET", hooks, null, null).statusCode());

        // project-level hooks: same routes under the project, PROJECT_ADMIN needed
        String projectHooks = "/rest/api/1.0/projects/OPS/webhooks";
        JsonNode projectHook = json(client.call("POST", projectHooks, "{\"name\":\"all-repos\",\"url\":\""
                + receiver.baseUri() + "/p\",\"events\":[\"repo:refs_changed\"]}", SANDBOX_BEARER), 200);
        assertEquals("project", projectHook.path("scopeType").asText());
        assertEquals(1, json(client.get(projectHooks), 200).path("size").asInt());
        assertEquals(401, client.call("GET", projectHooks, null, basic("dev", "pw")).statusCode());
        assertEquals(204, client.call("DELETE", projectHooks + "/" + projectHook.path("id").asInt(), null, SANDBOX_BEARER)
                .statusCode());

        assertEquals(204, client.call("DELETE", hooks + "/" + id, null, SANDBOX_BEARER).statusCode());
        assertEquals(404, client.get(hooks + "/" + id).statusCode());
    }

    @Test
    void webhookCredentialsAreSentAsBasicAuthAndNeverEchoed() {
        JsonNode created = json(client.call("POST", PLATFORM + "/webhooks", "{\"name\":\"auth\",\"url\":\""
                + receiver.baseUri() + "/auth\",\"events\":[\"repo:refs_changed\"],"
                + "\"credentials\":{\"username\":\"hook\",\"password\":\"hook-pw\"}}", SANDBOX_BEARER), 200);
        assertEquals("hook", created.path("credentials").path("username").asText());
        assertTrue(created.path("credentials").path("password").isMissingNode());
        server.commitFiles("OPS", "platform", "main", Map.of("c.txt", "c"), "c", "sandbox");
        RecordedRequest delivery = awaitDeliveries(1).get(0);
        assertEquals(basic("hook", "hook-pw"), delivery.request().header("Authorization"));
    }

    @Test
    void failingHooksTripTheCircuitBreakerAndLatestShowsTheOutcome() {
        try (FakeHttpServer failing = FakeHttpServer.builder("failing", r -> FakeResponse.empty(500)).start()) {
            server.webhookCircuitBreaker(2, Duration.ofMinutes(5));
            String hooks = PLATFORM + "/webhooks";
            int id = json(client.call("POST", hooks, "{\"name\":\"down\",\"url\":\"" + failing.baseUri()
                    + "/hook\",\"events\":[\"repo:refs_changed\"]}", SANDBOX_BEARER), 200).path("id").asInt();
            assertEquals(204, client.get(hooks + "/" + id + "/latest").statusCode(), "nothing delivered yet");
            for (int i = 0; i < 3; i++) {
                server.commitFiles("OPS", "platform", "main", Map.of("n.txt", Integer.toString(i)), "n" + i, "sandbox");
                server.awaitDeliveries(Duration.ofSeconds(10));
            }
            // two failures in a row open the breaker: the third event is skipped, not sent
            assertEquals(2, failing.requests().all().size());
            JsonNode latest = json(client.get(hooks + "/" + id + "/latest"), 200);
            assertEquals("FAILURE", latest.path("result").path("outcome").asText());
            assertEquals("500", latest.path("result").path("description").asText());
            assertEquals("repo:refs_changed", latest.path("event").asText());
        }
    }

    @Test
    void testEndpointDeliversAnUnsignedPing() {
        JsonNode result = json(client.call("POST", PLATFORM + "/webhooks/test?url=" + receiver.baseUri() + "/ping", null,
                SANDBOX_BEARER), 200);
        assertEquals(200, result.path("response").path("statusCode").asInt());
        RecordedRequest ping = receiver.requests().all().get(0);
        assertEquals("/ping", ping.path());
        assertEquals("diagnostics:ping", ping.request().header("X-Event-Key"));
        assertEquals("{\"test\": true}", ping.request().bodyText());
        assertNull(ping.request().header("X-Hub-Signature"));
    }

    @Test
    void pullRequestEventsAndSandboxEndpointsDeliverToSubscribedHooks() throws Exception {
        createHook(PLATFORM, List.of("pr:opened", "repo:refs_changed"), "pr-secret");
        server.commitFiles("OPS", "platform", "feature/login", Map.of("login.txt", "hi"), "Add login", "sandbox");
        server.pullRequestEvent("pr:declined", "OPS", "platform", 6, "Old login", "feature/login", "main", "sandbox");
        assertEquals(202, client.call("POST", "/_sandbox/pull-requests", "{\"event\":\"pr:opened\",\"project\":\"OPS\","
                + "\"repository\":\"platform\",\"id\":7,\"title\":\"Login\",\"fromBranch\":\"feature/login\"}", null).statusCode());
        assertEquals(201, client.call("POST", "/_sandbox/commits", "{\"project\":\"OPS\",\"repository\":\"platform\","
                + "\"branch\":\"main\",\"files\":{\"sandbox.txt\":\"from the sandbox\"}}", null).statusCode());

        // Deliveries go out in event order: the unsubscribed pr:declined never shows up between them.
        List<RecordedRequest> deliveries = awaitDeliveries(3);
        assertEquals(List.of("repo:refs_changed", "pr:opened", "repo:refs_changed"),
                deliveries.stream().map(d -> d.request().header("X-Event-Key")).toList());
        RecordedRequest opened = deliveries.get(1);
        assertEquals(WebhookSignature.sign("pr-secret", opened.request().body()), opened.request().header("X-Hub-Signature"));
        JsonNode pr = opened.request().json().path("pullRequest");
        assertEquals(7, pr.path("id").asInt());
        assertEquals("OPEN", pr.path("state").asText());
        assertEquals("refs/heads/feature/login", pr.path("fromRef").path("id").asText());
        assertEquals(ObjectId.toString(server.repository("OPS", "platform").git().resolve("refs/heads/feature/login")),
                pr.path("fromRef").path("latestCommit").asText());
        assertEquals("platform", pr.path("toRef").path("repository").path("slug").asText());
        JsonNode sandboxCommit = deliveries.get(2).request().json();
        assertEquals("UPDATE", sandboxCommit.path("changes").path(0).path("type").asText());
        JsonNode attempts = json(client.call("GET", "/_sandbox/deliveries", null, null), 200);
        assertEquals(3, attempts.size());
        assertEquals("pr:opened", attempts.path(1).path("event").asText());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private int createHook(String repositoryPath, List<String> events, String secret) {
        String configuration = secret == null ? "{}" : "{\"secret\":\"" + secret + "\"}";
        String body = "{\"name\":\"bitbridge\",\"url\":\"" + receiver.baseUri() + "/hook\",\"active\":true,\"events\":"
                + FakeJson.mapper().valueToTree(events) + ",\"configuration\":" + configuration + "}";
        return json(client.call("POST", repositoryPath + "/webhooks", body, SANDBOX_BEARER), 200).path("id").asInt();
    }

    private List<RecordedRequest> awaitDeliveries(int count) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(count, receiver.requests().all().size()));
        return receiver.requests().all();
    }

    /** A refused push changes nothing: the repository stays empty and nothing is delivered. */
    private void awaitNothingFor(String repositoryPath) {
        assertEquals(0, json(client.get(repositoryPath + "/branches"), 200).path("size").asInt());
        assertEquals(0, server.deliveries().size());
    }
}
