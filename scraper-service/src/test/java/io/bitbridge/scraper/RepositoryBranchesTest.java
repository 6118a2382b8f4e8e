package io.bitbridge.scraper;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventType;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryCatalogEvent;
import io.bitbridge.events.RepositoryCatalogEvent.Type;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.Topics;
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.fakes.common.RecordedRequest;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.scraper.discovery.RepositoryDiscovery;
import io.bitbridge.scraper.discovery.RepositoryDiscovery.ScrapeResult;
import io.bitbridge.scraper.support.BitbucketFakes;
import io.bitbridge.scraper.support.BranchFakes;
import io.bitbridge.scraper.support.FakeCredentialService;
import io.bitbridge.scraper.support.Pushes;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.ServiceContractTests;
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
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server / Data Center default branches in the catalog, read a few per scrape and only where unknown (again on an admin's
 * refresh), and a repository's branches read from Bitbucket on request, against the fakes ({@link BranchFakes}).
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FakeCredentialService.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BranchFakes.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RepositoryBranchesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    RepositoryDiscovery discovery;

    @Inject
    EventPublisher publisher;

    @Test
    void serverDefaultBranchesAreReadForNewOrUnknownRepositoriesOnlyAndAgainOnAnAdminRefresh() throws Exception {
        String id = "server-default-branches";
        projectCredential(id);
        BitbucketServerFake server = BitbucketFakes.server();
        try (TopicTail catalog = TopicTail.from(TestInfra.topic(Topics.REPOSITORIES_CATALOG))) {
            // first scrape: three new repositories, two default-branch reads (key order: empty, one), two left unknown
            server.http().requests().clear();
            assertEquals(new ScrapeResult(id, 3, 3, 0, 0), discovery.scrape(id));
            assertEquals(List.of("empty 404", "one 200"), defaultBranchReads(server));
            Map<String, RepositoryCatalogEvent> discovered = bySlug(catalog, id, 3);
            assertTrue(discovered.values().stream().allMatch(e -> e.type() == Type.DISCOVERED));
            assertEquals("main", discovered.get("one").mainBranch());
            assertNull(discovered.get("two").mainBranch(), "not read yet");
            assertNull(discovered.get("empty").mainBranch(), "an empty repository has no default branch yet");
            catalog.assertNothingElse();

            // second scrape: only the unknown ones, the never-read first; two's becomes known: UPDATED
            server.http().requests().clear();
            assertEquals(new ScrapeResult(id, 3, 0, 1, 0), discovery.scrape(id));
            assertEquals(List.of("two 200", "empty 404"), defaultBranchReads(server));
            RepositoryCatalogEvent two = decode(catalog.await(r -> id.equals(decode(r).credentialId())));
            assertEquals(List.of(Type.UPDATED, "two", "trunk"), List.of(two.type(), two.repository().slug(), two.mainBranch()));
            catalog.assertNothingElse();

            // one's default branch changes in Bitbucket: a scheduled scrape does not read known ones, publishes nothing
            server.commitFiles(BranchFakes.PROJECT, "one", "develop", Map.of("NEXT.md", "next\n"), "Next", BitbucketServerFake.SANDBOX_USER);
            assertEquals(204, serverCall("PUT", "/rest/api/1.0/projects/DFB/repos/one/branches/default", "{\"id\":\"refs/heads/develop\"}"));
            server.http().requests().clear();
            assertEquals(new ScrapeResult(id, 3, 0, 0, 0), discovery.scrape(id));
            assertEquals(List.of("empty 404"), defaultBranchReads(server));
            catalog.assertNothingElse();

            // an admin's refresh reads known ones too, longest read first, within the same number of reads: UPDATED
            server.http().requests().clear();
            JsonPath refreshed = given().auth().oauth2(TestTokens.admin()).urlEncodingEnabled(false)
                    .post("/api/credentials/" + id + "/repositories:refresh").then().statusCode(200).extract().jsonPath();
            assertEquals(1, refreshed.getInt("updated"));
            assertEquals(List.of("one 200", "two 200"), defaultBranchReads(server));
            RepositoryCatalogEvent one = decode(catalog.await(r -> id.equals(decode(r).credentialId())));
            assertEquals(List.of(Type.UPDATED, "one", "develop"), List.of(one.type(), one.repository().slug(), one.mainBranch()));
            catalog.assertNothingElse();

            JsonPath listed = given().auth().oauth2(TestTokens.viewer()).get("/api/credentials/{id}/repositories", id)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("empty", "one", "two"), listed.getList("items.slug"));
            assertEquals(java.util.Arrays.asList(null, "develop", "trunk"), listed.getList("items.mainBranch"));
        }
    }

    @Test
    void serverBranchesAreReadOnRequestAcrossPagesAndCapped() throws Exception {
        String id = "server-branches";
        projectCredential(id);
        BitbucketServerFake server = BitbucketFakes.server();
        discovery.scrape(id);
        Repository git = server.repository(BranchFakes.PROJECT, "one").git();
        Map<String, String> heads = new TreeMap<>();
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            heads.put(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId().name());
        }
        String defaultBranch = server.repository(BranchFakes.PROJECT, "one").defaultBranch();
        String path = "/rest/api/1.0/projects/DFB/repos/one/branches";

        server.http().requests().clear();
        JsonPath all = branches(id, "DFB", "one", null, 200);
        assertEquals(RepositoryRef.keyOf(Provider.BITBUCKET_SERVER, RepositoryRef.hostOf(server.baseUrl()), "DFB", "one"),
                all.getString("repository"));
        assertFalse(all.getBoolean("truncated"));
        assertEquals(heads, namesToHeads(all));
        assertEquals(List.of(defaultBranch), defaults(all));
        List<RecordedRequest> pages = server.http().requests().to("GET", path);
        assertEquals(List.of("0", "100"), pages.stream().map(r -> r.request().query("start")).toList(), "start/limit paging");
        assertTrue(pages.stream().allMatch(r -> "100".equals(r.request().query("limit"))));

        server.http().requests().clear();
        JsonPath capped = branches(id, "DFB", "one", 50, 200);
        assertTrue(capped.getBoolean("truncated"));
        assertEquals(50, capped.getList("branches").size());
        assertEquals(1, server.http().requests().to("GET", path).size(), "no page beyond the cap");

        JsonPath problem = given().auth().oauth2(TestTokens.viewer())
                .get("/api/credentials/{id}/repositories/{owner}/{slug}/branches", id, "DFB", "nope")
                .then().statusCode(404).contentType(PROBLEM_JSON).extract().jsonPath();
        assertEquals("Repository not found", problem.getString("title"));
    }

    @Test
    void cloudBranchesFollowNextWithTheMainBranchMarkedAndFailuresAreProblems() throws Exception {
        String id = "cloud-branches";
        FakeCredentialService.get().put(id, new Authorization(Pushes.CLOUD_BASIC, null, BitbucketFakes.cloud().apiUrl(), null, null, null,
                false, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD));
        discovery.scrape(id);
        String path = "/2.0/repositories/acme/branchy/refs/branches";

        BitbucketFakes.cloud().requests().clear();
        JsonPath all = branches(id, "acme", "branchy", null, 200);
        assertFalse(all.getBoolean("truncated"));
        Map<String, String> heads = namesToHeads(all);
        assertEquals(BranchFakes.EXTRA_BRANCHES + 1, heads.size());
        assertEquals(BitbucketFakes.cloud().branchTip("acme", "branchy", "main"), heads.get("main"));
        assertEquals(BitbucketFakes.cloud().branchTip("acme", "branchy", "feature-042"), heads.get("feature-042"));
        assertEquals(List.of("main"), defaults(all));
        List<RecordedRequest> pages = BitbucketFakes.cloud().requests().to("GET", path);
        assertEquals(2, pages.size(), "two pages of 100, the second by next");
        assertEquals("100", pages.get(0).request().query("pagelen"));

        BitbucketFakes.cloud().requests().clear();
        JsonPath capped = branches(id, "acme", "branchy", 100, 200);
        assertTrue(capped.getBoolean("truncated"));
        assertEquals(100, capped.getList("branches").size());
        assertEquals(1, BitbucketFakes.cloud().requests().to("GET", path).size(), "the next page is not read beyond the cap");

        given().get("/api/credentials/{id}/repositories/{owner}/{slug}/branches", id, "acme", "branchy").then().statusCode(401);
        assertEquals("Repository not found", given().auth().oauth2(TestTokens.viewer())
                .get("/api/credentials/{id}/repositories/{owner}/{slug}/branches", "someone-else", "acme", "branchy")
                .then().statusCode(404).contentType(PROBLEM_JSON).extract().jsonPath().getString("title"));

        // the credential's access to the repository revoked since the last scrape: Bitbucket's 403 is a 502 here
        BitbucketFakes.cloud().faults().arm(Fault.status(403, 1).onPath(path));
        assertEquals("Bitbucket refused the listing", given().auth().oauth2(TestTokens.viewer())
                .get("/api/credentials/{id}/repositories/{owner}/{slug}/branches", id, "acme", "branchy")
                .then().statusCode(502).contentType(PROBLEM_JSON).extract().jsonPath().getString("title"));

        // the credential goes down (its lifecycle event tells this service): 409
        FakeCredentialService.get().down(id);
        Instant now = Instant.now();
        publisher.publish(EventType.CREDENTIAL_LIFECYCLE, id, CloudEventHeaders.of(UUID.randomUUID().toString(),
                EventType.CREDENTIAL_LIFECYCLE, "/credentials", now), new CredentialLifecycleEvent(UUID.randomUUID().toString(), id,
                CredentialLifecycleEvent.Type.STATUS_CHANGED, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, id,
                CredentialLifecycleEvent.Status.DOWN, "token revoked", null, null, now)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(TestTokens.viewer())
                .get("/api/credentials/{id}/repositories/{owner}/{slug}/branches", id, "acme", "game").statusCode() == 409);
        assertEquals("Credential is down", given().auth().oauth2(TestTokens.viewer())
                .get("/api/credentials/{id}/repositories/{owner}/{slug}/branches", id, "acme", "game")
                .then().statusCode(409).contentType(PROBLEM_JSON).extract().jsonPath().getString("title"));
    }

    // ---- helpers ----

    private static void projectCredential(String id) {
        FakeCredentialService.get().put(id, new Authorization("Bearer " + BranchFakes.PROJECT_TOKEN, null, BitbucketFakes.server().baseUrl(),
                null, null, null, false, CredentialKind.BITBUCKET_SERVER_TOKEN, Provider.BITBUCKET_SERVER));
    }

    /** The default-branch reads the Server fake answered, in order: "slug status". */
    private static List<String> defaultBranchReads(BitbucketServerFake server) {
        List<String> reads = new ArrayList<>();
        for (RecordedRequest request : server.http().requests().matching(r -> r.method().equals("GET") && r.path().endsWith("/default-branch"))) {
            String[] segments = request.path().split("/");
            reads.add(segments[segments.length - 2] + " " + request.status());
        }
        return reads;
    }

    private static Map<String, RepositoryCatalogEvent> bySlug(TopicTail catalog, String credentialId, int count) {
        Map<String, RepositoryCatalogEvent> events = new HashMap<>();
        for (int i = 0; i < count; i++) {
            RepositoryCatalogEvent event = decode(catalog.await(r -> credentialId.equals(decode(r).credentialId())));
            events.put(event.repository().slug(), event);
        }
        return events;
    }

    private static JsonPath branches(String id, String owner, String slug, Integer limit, int status) {
        var request = given().auth().oauth2(TestTokens.viewer());
        if (limit != null) {
            request = request.queryParam("limit", limit);
        }
        return request.get("/api/credentials/{id}/repositories/{owner}/{slug}/branches", id, owner, slug)
                .then().statusCode(status).extract().jsonPath();
    }

    private static Map<String, String> namesToHeads(JsonPath branches) {
        List<String> names = branches.getList("branches.name");
        List<String> heads = branches.getList("branches.headCommit");
        Map<String, String> byName = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(names.get(i), heads.get(i));
        }
        assertEquals(names.size(), byName.size(), "each branch once");
        return byName;
    }

    private static List<String> defaults(JsonPath branches) {
        List<String> names = branches.getList("branches.name");
        List<Boolean> flags = branches.getList("branches.isDefault");
        List<String> defaults = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (Boolean.TRUE.equals(flags.get(i))) {
                defaults.add(names.get(i));
            }
        }
        return defaults;
    }

    private static RepositoryCatalogEvent decode(ConsumerRecord<byte[], byte[]> record) {
        return EventJson.fromBytes(record.value(), RepositoryCatalogEvent.class);
    }

    private static int serverCall(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BitbucketFakes.server().baseUrl() + path))
                .header("Authorization", "Bearer " + BitbucketServerFake.SANDBOX_TOKEN).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /**
     * What every Bitbridge service promises ({@link ServiceContractTests}), checked on this class's running service
     * rather than on one started for a class of its own.
     */
    @Nested
    class ServiceContract extends ServiceContractTests {
    }
}
