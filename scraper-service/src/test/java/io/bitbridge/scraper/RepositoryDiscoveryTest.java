package io.bitbridge.scraper;

import com.sun.net.httpserver.HttpServer;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryCatalogEvent;
import io.bitbridge.events.RepositoryCatalogEvent.Type;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.Topics;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.scraper.discovery.RepositoryDiscovery;
import io.bitbridge.scraper.support.BitbucketFakes;
import io.bitbridge.scraper.support.DiscoveryFakes;
import io.bitbridge.scraper.support.FakeCredentialService;
import io.bitbridge.scraper.support.JsonResponses;
import io.bitbridge.scraper.support.Pushes;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repository discovery end to end: lifecycle events on a real broker, listings from the Bitbucket fakes (several pages,
 * several workspaces), the store in PostgreSQL, {@code repositories.catalog.v1} read back, the API over HTTP.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FakeCredentialService.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = DiscoveryFakes.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RepositoryDiscoveryTest {
    private static final String CLOUD = "cloud-discovery";
    private static final String SERVER = "server-discovery";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    EventPublisher publisher;

    @Inject
    RepositoryDiscovery discovery;

    @BeforeEach
    void credentials() {
        Pushes.sandboxCredentials(CLOUD, SERVER);
    }

    @Test
    void cloudCredentialCreatedListsEveryWorkspaceAcrossPagesThenOnlyChangesArePublished() throws Exception {
        int expected = DiscoveryFakes.BIG_REPOSITORIES + 3;
        BitbucketFakes.cloud().requests().clear();
        try (TopicTail catalog = TopicTail.from(TestInfra.topic(Topics.REPOSITORIES_CATALOG))) {
            publishLifecycle(CLOUD, CredentialLifecycleEvent.Type.CREATED, CredentialLifecycleEvent.Status.UP);

            List<ConsumerRecord<byte[], byte[]>> records = awaitCatalog(catalog, CLOUD, expected);
            List<RepositoryCatalogEvent> events = records.stream().map(RepositoryDiscoveryTest::decode).toList();
            assertTrue(events.stream().allMatch(e -> e.type() == Type.DISCOVERED), "a first scrape discovers everything");
            assertEquals(new TreeSet<>(List.of("acme", "big", "tools")),
                    new TreeSet<>(events.stream().map(e -> e.repository().owner()).toList()));
            assertEquals(DiscoveryFakes.BIG_REPOSITORIES, events.stream().filter(e -> e.repository().owner().equals("big"))
                    .map(e -> e.repository().slug()).distinct().count());
            RepositoryCatalogEvent game = events.stream().filter(e -> e.repository().slug().equals("game")).findFirst().orElseThrow();
            assertEquals(RepositoryRef.keyOf(Provider.BITBUCKET_CLOUD, "bitbucket.org", "acme", "game"), game.repository().key());
            assertEquals("main", game.mainBranch());
            assertTrue(game.privateRepository());
            assertTrue(game.repository().cloneUrls().stream().anyMatch(c -> c.name().equals("https")), game.repository().cloneUrls().toString());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                RepositoryCatalogEvent event = decode(record);
                assertEquals(RepositoryDiscovery.catalogKey(CLOUD, event.repository().key()), new String(record.key(), StandardCharsets.UTF_8));
                assertEquals(EventType.REPOSITORY_CATALOG.ceType(), CloudEventHeaders.read(record.headers()).orElseThrow().type());
            }
            // workspaces: one page; acme and tools: one page each; big: two pages of 100, following next as given
            assertEquals(1, BitbucketFakes.cloud().requests().to("GET", "/2.0/user/workspaces").size());
            assertEquals(2, BitbucketFakes.cloud().requests().to("GET", "/2.0/repositories/big").size());
            assertTrue(BitbucketFakes.cloud().requests().to("GET", "/2.0/repositories/big").stream()
                    .allMatch(r -> r.request().query("pagelen").equals("100") && r.request().query("role").equals("member")));

            // the API: every repository once, in key order, across pages; filters by workspace and name
            List<String> keys = listAll(CLOUD, 50);
            assertEquals(expected, keys.size());
            assertEquals(new ArrayList<>(new TreeSet<>(keys)), keys);
            assertEquals(List.of("game", "infra"), list(CLOUD, Map.of("owner", "acme")).getList("items.slug"));
            assertEquals(IntStream.range(120, 130).mapToObj(i -> "repo-" + i).toList(), list(CLOUD, Map.of("name", "REPO-12")).getList("items.slug"));

            // nothing changed: a refresh publishes nothing
            JsonPath unchanged = refresh(CLOUD, 200);
            assertEquals(expected, unchanged.getInt("listed"));
            assertEquals(0, unchanged.getInt("discovered") + unchanged.getInt("updated") + unchanged.getInt("removed"));
            catalog.assertNothingElse();

            // a repository created since is picked up by the schedule, alone
            createCloudRepository("acme", "newcomer");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> discovery.scrapeDue().await().indefinitely().contains(CLOUD));
            RepositoryCatalogEvent newcomer = decode(catalog.await(r -> CLOUD.equals(decode(r).credentialId())));
            assertEquals(Type.DISCOVERED, newcomer.type());
            assertEquals("newcomer", newcomer.repository().slug());
            catalog.assertNothingElse();
        }
    }

    @Test
    void serverListingAcrossPagesWithRemovalMarkedAndChangesOnly() throws Exception {
        BitbucketServerFake server = BitbucketFakes.server();
        int expected = DiscoveryFakes.SERVER_REPOSITORIES + 1;
        try (TopicTail catalog = TopicTail.from(TestInfra.topic(Topics.REPOSITORIES_CATALOG))) {
            JsonPath first = refresh(SERVER, 200);
            assertEquals(expected, first.getInt("listed"));
            assertEquals(expected, first.getInt("discovered"));
            List<RepositoryCatalogEvent> discovered = awaitCatalog(catalog, SERVER, expected).stream().map(RepositoryDiscoveryTest::decode).toList();
            assertEquals(expected, discovered.stream().map(e -> e.repository().slug()).distinct().count());
            assertTrue(discovered.stream().allMatch(e -> e.type() == Type.DISCOVERED && e.repository().owner().equals("OPS")
                    && e.repository().host().equals(RepositoryRef.hostOf(server.baseUrl()))));
            assertEquals(2, server.http().requests().to("GET", "/rest/api/1.0/repos").size(), "two pages of 100");

            // svc-119 deleted, svc-118 made public: one REMOVED, one UPDATED, nothing else
            assertEquals(202, serverCall("DELETE", "/rest/api/1.0/projects/OPS/repos/svc-119", null));
            assertEquals(201, serverCall("PUT", "/rest/api/1.0/projects/OPS/repos/svc-118", "{\"public\":true}"));
            JsonPath second = refresh(SERVER, 200);
            assertEquals(List.of(expected - 1, 0, 1, 1), List.of(second.getInt("listed"), second.getInt("discovered"),
                    second.getInt("updated"), second.getInt("removed")));
            List<RepositoryCatalogEvent> changes = awaitCatalog(catalog, SERVER, 2).stream().map(RepositoryDiscoveryTest::decode)
                    .sorted(java.util.Comparator.comparing(e -> e.repository().slug())).toList();
            assertEquals(List.of("svc-118", "svc-119"), changes.stream().map(e -> e.repository().slug()).toList());
            assertEquals(List.of(Type.UPDATED, Type.REMOVED), changes.stream().map(RepositoryCatalogEvent::type).toList());
            assertFalse(changes.get(0).privateRepository());
            catalog.assertNothingElse();

            // removed is marked, not deleted: hidden by default, shown on request
            assertFalse(listAll(SERVER, 200).contains(key("svc-119")));
            JsonPath withRemoved = list(SERVER, Map.of("includeRemoved", true, "name", "svc-119", "limit", 200));
            assertEquals(List.of("svc-119"), withRemoved.getList("items.slug"));
            assertEquals(Boolean.TRUE, withRemoved.getBoolean("items[0].removed"));
            assertTrue(withRemoved.getString("items[0].removedAt") != null);

            // the credential deleted: every repository it listed is removed
            publishLifecycle(SERVER, CredentialLifecycleEvent.Type.DELETED, CredentialLifecycleEvent.Status.DOWN);
            List<RepositoryCatalogEvent> removed = awaitCatalog(catalog, SERVER, expected - 1).stream().map(RepositoryDiscoveryTest::decode).toList();
            assertTrue(removed.stream().allMatch(e -> e.type() == Type.REMOVED));
            catalog.assertNothingElse();
            assertEquals(List.of(), list(SERVER, Map.of()).getList("items"));
        }
    }

    @Test
    void aNextLinkToAnotherHostIsRefusedAndNothingIsMarkedRemoved() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean hostile = new java.util.concurrent.atomic.AtomicBoolean(false);
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            String path = exchange.getRequestURI().getPath();
            String body = path.equals("/2.0/user/workspaces")
                    ? "{\"values\":[{\"workspace\":{\"slug\":\"acme\"}}]" + (hostile.get()
                    ? ",\"next\":\"https://attacker.example/2.0/user/workspaces?page=2\"}" : "}")
                    : path.equals("/2.0/repositories/acme")
                    ? "{\"values\":[{\"slug\":\"game\",\"name\":\"game\",\"full_name\":\"acme/game\",\"is_private\":true,"
                    + "\"mainbranch\":{\"name\":\"main\"},\"links\":{\"clone\":[]}}]}"
                    : "{\"values\":[]}";
            try (exchange) {
                JsonResponses.send(exchange, 200, body);
            }
        });
        api.start();
        String id = "hostile-" + UUID.randomUUID();
        try (TopicTail catalog = TopicTail.from(TestInfra.topic(Topics.REPOSITORIES_CATALOG))) {
            FakeCredentialService.get().put(id, new Authorization("Bearer secret", null, "http://127.0.0.1:" + api.getAddress().getPort(),
                    null, null, null, false, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD));
            assertEquals(1, refresh(id, 200).getInt("discovered"));
            assertEquals(Type.DISCOVERED, decode(catalog.await(r -> id.equals(decode(r).credentialId()))).type());

            hostile.set(true);
            asked.clear();
            JsonPath problem = refresh(id, 502);
            assertEquals("Bitbucket listing refused", problem.getString("title"));
            assertTrue(problem.getString("detail").contains("attacker.example"), problem.getString("detail"));
            assertEquals(List.of("/2.0/user/workspaces?pagelen=100"), asked, "the hostile link is never followed");
            assertEquals(List.of("game"), list(id, Map.of()).getList("items.slug"), "a refused listing marks nothing removed");
            catalog.assertNothingElse();
        } finally {
            api.stop(0);
        }
    }

    @Test
    void refreshOfAnUnknownOrDownCredentialIsAProblemAndNeedsAdmin() {
        given().auth().oauth2(TestTokens.viewer()).urlEncodingEnabled(false).post("/api/credentials/" + CLOUD + "/repositories:refresh")
                .then().statusCode(403);
        assertEquals("Credential not found", refresh("nobody-" + UUID.randomUUID(), 404).getString("title"));
        FakeCredentialService.get().down("down-discovery");
        assertEquals("Credential is down", refresh("down-discovery", 409).getString("title"));
        given().auth().oauth2(TestTokens.viewer()).get("/api/credentials/{id}/repositories", "never-seen").then().statusCode(404);
        given().get("/api/credentials/{id}/repositories", CLOUD).then().statusCode(401);
    }

    // ---- helpers ----

    private void publishLifecycle(String credentialId, CredentialLifecycleEvent.Type type, CredentialLifecycleEvent.Status status)
            throws Exception {
        Instant now = Instant.now();
        publisher.publish(EventType.CREDENTIAL_LIFECYCLE, credentialId, CloudEventHeaders.of(UUID.randomUUID().toString(),
                EventType.CREDENTIAL_LIFECYCLE, "/credentials", now), new CredentialLifecycleEvent(UUID.randomUUID().toString(),
                credentialId, type, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, credentialId, status, null, null, null, now))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitCatalog(TopicTail catalog, String credentialId, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(catalog.await(r -> credentialId.equals(decode(r).credentialId())));
        }
        return records;
    }

    private static JsonPath refresh(String credentialId, int status) {
        // the colon stays as it is (an encoded one names another route)
        return given().auth().oauth2(TestTokens.admin()).urlEncodingEnabled(false).post("/api/credentials/" + credentialId + "/repositories:refresh")
                .then().statusCode(status).extract().jsonPath();
    }

    private static JsonPath list(String credentialId, Map<String, ?> query) {
        return given().auth().oauth2(TestTokens.viewer()).queryParams(query).get("/api/credentials/{id}/repositories", credentialId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** Every key, following {@code next} page after page. */
    private static List<String> listAll(String credentialId, int limit) {
        List<String> keys = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            JsonPath page = list(credentialId, after == null ? Map.of("limit", limit) : Map.of("limit", limit, "after", after));
            keys.addAll(page.getList("items.key"));
            after = page.getString("next");
            pages++;
        } while (after != null && pages < 100);
        return keys;
    }

    private static String key(String slug) {
        return RepositoryRef.keyOf(Provider.BITBUCKET_SERVER, RepositoryRef.hostOf(BitbucketFakes.server().baseUrl()), "OPS", slug);
    }

    private static RepositoryCatalogEvent decode(ConsumerRecord<byte[], byte[]> record) {
        return EventJson.fromBytes(record.value(), RepositoryCatalogEvent.class);
    }

    private static void createCloudRepository(String workspace, String slug) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BitbucketFakes.cloud().apiUrl() + "/repositories/"
                        + workspace + "/" + slug)).header("Authorization", Pushes.CLOUD_BASIC).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"scm\":\"git\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static int serverCall(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BitbucketFakes.server().baseUrl() + path))
                .header("Authorization", "Bearer " + BitbucketServerFake.SANDBOX_TOKEN).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
