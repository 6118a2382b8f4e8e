package io.bitbridge.credentials;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.credentialclient.CredentialNeedsReconnectException;
import io.bitbridge.credentials.client.BitbucketGuards;
import io.bitbridge.credentials.client.OnContext;
import io.bitbridge.credentials.messaging.LifecycleEvents;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.support.OnVertx;
import io.bitbridge.events.CredentialLifecycleEvent.Status;
import io.bitbridge.events.CredentialLifecycleEvent.Type;
import io.bitbridge.testkit.ServiceContractTests;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.bitbridge.credentials.support.BitbucketFakesResource;
import io.bitbridge.credentials.support.CredentialClientAtThisService;
import io.bitbridge.credentials.support.LogCapture;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.Topics;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.SharedTestInfra;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * credential-service end to end against the Bitbucket fakes, real PostgreSQL and Kafka. One class so Quarkus starts
 * once. Every test creates the credentials it needs (the helpers at the end), so the tests pass in any order; after
 * each test everything logged so far is searched for every secret the tests have used so far.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BitbucketFakesResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = CredentialClientAtThisService.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CredentialServiceFlowsTest {
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static LogCapture logs;

    @BeforeAll
    static void captureLogs() {
        logs = LogCapture.install();
        SECRETS.addAll(List.of(BitbucketServerFake.SANDBOX_TOKEN, BitbucketCloudFake.SANDBOX_API_TOKEN,
                BitbucketFakesResource.CONSUMER_SECRET, BitbucketFakesResource.APP_PASSWORD, BitbucketFakesResource.REPO_ACCESS_TOKEN));
    }

    /** Runs after every test, so whichever test runs last, every line logged is searched for every secret used. */
    @AfterEach
    void noSecretWasEverLogged() {
        List<String> lines = logs.lines();
        for (String secret : SECRETS) {
            for (String line : lines) {
                assertFalse(line.contains(secret), "a secret in the log: " + line.replace(secret, "<SECRET>"));
            }
        }
    }

    /** A condition that holds already is seen at once (Awaitility otherwise first waits one poll interval). */
    @BeforeAll
    static void awaitWithoutInitialDelay() {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    @AfterAll
    static void stopCapturing() {
        if (logs != null) {
            logs.uninstall();
        }
        Awaitility.reset();
    }

    // ---- access control ---------------------------------------------------------------------------------

    private record Endpoint(String method, String path, String role) {
    }

    @Test
    void everyEndpointAnswers401WithoutAValidTokenAnd403ForAnotherRole() {
        String id = UUID.randomUUID().toString();
        // a forged token per role (making one generates an RSA key pair, which is slow)
        Map<String, String> forged = new java.util.HashMap<>();
        Map<String, String> tokens = new java.util.HashMap<>();
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/api/credentials", "admin"),
                new Endpoint("GET", "/api/credentials", "viewer"),
                new Endpoint("GET", "/api/credentials/" + id, "viewer"),
                new Endpoint("DELETE", "/api/credentials/" + id, "admin"),
                new Endpoint("POST", "/api/credentials/" + id + "/test", "admin"),
                new Endpoint("POST", "/api/credentials/" + id + "/reconnect", "admin"),
                new Endpoint("POST", "/api/credentials/" + id + "/migrate-to-api-token", "admin"),
                new Endpoint("PUT", "/api/credentials/" + id + "/accept-unsigned-with-token", "admin"),
                new Endpoint("GET", "/api/credentials/" + id + "/webhook-secret", "admin"),
                new Endpoint("POST", "/api/credentials/" + id + "/webhook-secret:rotate", "admin"),
                new Endpoint("PUT", "/api/credentials/" + id + "/webhooks/OPS/platform", "admin"),
                new Endpoint("DELETE", "/api/credentials/" + id + "/webhooks/OPS/platform", "admin"),
                new Endpoint("GET", "/internal/credentials/" + id + "/webhook-secrets", Roles.READ_WEBHOOK_SECRETS),
                new Endpoint("POST", "/internal/credentials/" + id + "/authorization", Roles.READ_AUTHORIZATIONS),
                new Endpoint("POST", "/api/credentials/oauth-consents", "admin"));
        for (Endpoint endpoint : endpoints) {
            call(given(), endpoint).then().statusCode(401).contentType("application/problem+json");
            call(given().auth().oauth2(forged.computeIfAbsent(endpoint.role(), TestTokens::forged)), endpoint).then().statusCode(401);
            for (String other : List.of("admin", "viewer", "service", "guest")) {
                boolean allowed = other.equals(endpoint.role()) || (other.equals("admin") && endpoint.role().equals("viewer"));
                if (!allowed) {
                    call(given().auth().oauth2(tokens.computeIfAbsent(other, TestTokens::forRole)), endpoint).then()
                            .statusCode(403).contentType("application/problem+json");
                }
            }
        }
        // the role that may call it gets past security (404: the credential does not exist)
        admin().get("/api/credentials/" + id).then().statusCode(404).body("type", containsString("credential-not-found"));
        gateway().get("/internal/credentials/" + id + "/webhook-secrets").then().statusCode(404);
    }

    /** Bean Validation on bodies, path and query parameters: 400 problem+json naming each field. */
    @Test
    void invalidInputIsA400ProblemNamingTheField() {
        String id = UUID.randomUUID().toString();
        admin().body(Map.of("name", " ")).post("/api/credentials").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://bitbridge.io/problems/invalid-request"))
                .body("detail", containsString("kind is required"))
                .body("detail", containsString("name must not be blank"));
        admin().body(Map.of()).put("/api/credentials/" + id + "/accept-unsigned-with-token").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("enabled must not be null"));
        admin().body(Map.of("email", "a@example.com")).post("/api/credentials/" + id + "/migrate-to-api-token").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("token must not be blank"));
        admin().urlEncodingEnabled(false).put("/api/credentials/" + id + "/webhooks/OPS/bad%20slug").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("repo must be a workspace/project key or repository slug"));
        // a consent link names a new credential or an existing one, not both, not neither
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("name", " "), Map.of(),
                Map.of("name", "x", "credentialId", id), Map.of("name", "x", "allowAccountChange", true))) {
            admin().body(body).post("/api/credentials/oauth-consents").then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://bitbridge.io/problems/invalid-request"));
        }
        admin().body(Map.of("name", "x".repeat(201))).post("/api/credentials/oauth-consents").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("name size must be"));
    }

    /** Base URLs that would aim the credential at the network behind Bitbridge are refused before anything is sent. */
    @Test
    void aBaseUrlOffHttpsOrOnAnInternalAddressIsA400NamingTheProblem() {
        int before = credentialCount();
        for (String base : List.of("http://bitbucket.example.com", "https://169.254.169.254", "https://127.0.0.2:7990",
                "https://10.20.30.40", "https://[::1]:7990", "https://[fd00::1]")) {
            admin().body(server("ssrf", BitbucketServerFake.SANDBOX_TOKEN, base)).post("/api/credentials").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://bitbridge.io/problems/base-url-refused"))
                    .body("detail", containsString("baseUrl "))
                    .body("detail", containsString(base.startsWith("http:") ? "must use https" : "private address"));
        }
        admin().body(Map.of("kind", "BITBUCKET_CLOUD_API_TOKEN", "name", "ssrf-cloud", "email", BitbucketCloudFake.SANDBOX_EMAIL,
                        "token", BitbucketCloudFake.SANDBOX_API_TOKEN, "apiBaseUrl", "https://169.254.169.254/latest"))
                .post("/api/credentials").then().statusCode(400).body("detail", containsString("apiBaseUrl "));
        assertEquals(before, credentialCount(), "nothing stored");
    }

    private static io.restassured.response.Response call(RequestSpecification request, Endpoint endpoint) {
        return request.urlEncodingEnabled(false).contentType(ContentType.JSON).body("{}").request(endpoint.method(), endpoint.path());
    }


    // ---- Bitbucket Server ------------------------------------------------------------------------------

    @Test
    void aServerTokenIsCheckedWithBitbucketBeforeItIsSaved() {
        String name = unique("ops");
        admin().body(server(name + "-wrong", "not-the-token")).post("/api/credentials").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://bitbridge.io/problems/bitbucket-rejected"))
                .body("detail", containsString("Authentication failed"));
        admin().get("/api/credentials").then().statusCode(200).body("name", org.hamcrest.Matchers.not(hasItem(name + "-wrong")));

        String id = createServerCredential(name)
                .body("kind", equalTo("BITBUCKET_SERVER_TOKEN"))
                .body("provider", equalTo("BITBUCKET_SERVER"))
                .body("status", equalTo("UP"))
                .body("account.username", equalTo("sandbox"))
                .body("secretHint", equalTo("…oken"))
                .body("deprecated", equalTo(false))
                .body("tls.customCa", equalTo(false))
                .extract().path("id");
        viewer().get("/api/credentials/" + id).then().statusCode(200)
                .body("webhookUrl", equalTo(BitbucketFakesResource.PUBLIC_BASE_URL + "/webhooks/bitbucket-server/" + id))
                .body(org.hamcrest.Matchers.not(containsString(BitbucketServerFake.SANDBOX_TOKEN)));
        admin().body(server(name.toUpperCase(java.util.Locale.ROOT), BitbucketServerFake.SANDBOX_TOKEN)).post("/api/credentials").then().statusCode(409);
        admin().body(Map.of("kind", "BITBUCKET_SERVER_TOKEN", "name", "x")).post("/api/credentials").then().statusCode(400)
                .body("detail", containsString("baseUrl"));
        admin().body("{\"kind\":").post("/api/credentials").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theInternalApiHandsOutAReadyAuthorization() {
        String id = newServerCredential("ready");
        scraper().post("/internal/credentials/" + id + "/authorization").then().statusCode(200)
                .body("authorization", equalTo("Bearer " + BitbucketServerFake.SANDBOX_TOKEN))
                .body("apiBaseUrl", equalTo(BitbucketFakesResource.server().baseUrl()))
                .body("gitUsername", equalTo("sandbox"))
                .body("provider", equalTo("BITBUCKET_SERVER"));
    }

    /**
     * Least privilege between services: each internal endpoint wants its scope and a caller it lists. The gateway reads
     * webhook secrets but never a Bitbucket authorization; the services calling Bitbucket read authorizations only.
     */
    @Test
    void theInternalApiAnswersOnlyTheServiceIdentitiesThatNeedIt() {
        String id = newServerCredential("least-privilege");
        String authorization = "/internal/credentials/" + id + "/authorization";
        String secrets = "/internal/credentials/" + id + "/webhook-secrets";
        given().auth().oauth2(TestTokens.ofService("webhook-gateway")).post(authorization).then().statusCode(403)
                .contentType("application/problem+json");
        for (String reader : List.of("scraper-service", "gitops-writer", "build-trigger")) {
            given().auth().oauth2(TestTokens.ofService(reader)).post(authorization).then().statusCode(200)
                    .body("authorization", equalTo("Bearer " + BitbucketServerFake.SANDBOX_TOKEN));
            given().auth().oauth2(TestTokens.ofService(reader)).get(secrets).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(TestTokens.ofService("webhook-gateway")).get(secrets).then().statusCode(200);
        // A service that needs no scope reads neither.
        given().auth().oauth2(TestTokens.ofService("commit-tracker")).post(authorization).then().statusCode(403);
        given().auth().oauth2(TestTokens.ofService("commit-tracker")).get(secrets).then().statusCode(403);
        // The scope alone is not enough: an identity granted it that credential-service does not list is refused ...
        SharedTestInfra.get().registerClient("unlisted-service", Set.of(Roles.READ_AUTHORIZATIONS));
        given().auth().oauth2(TestTokens.ofService("unlisted-service")).post(authorization).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("may not read authorizations"));
        // ... and neither is the name alone: scraper-service's subject without the scope.
        given().auth().oauth2(TestTokens.signed("scraper-service", Roles.SERVICE)).post(authorization).then().statusCode(403);
        // A well-signed token made for another audience is not taken at all.
        given().auth().oauth2(TestTokens.forAudience(Roles.READ_AUTHORIZATIONS, "another-system")).post(authorization).then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void registeringTheSameServerWebhookTwiceLeavesOneHook() {
        String id = newServerCredential("hooked");
        admin().put(serverHookPath(id)).then().statusCode(200)
                .body("outcome", equalTo("CREATED")).body("hookId", notNullValue());
        admin().put(serverHookPath(id)).then().statusCode(200)
                .body("outcome", equalTo("UNCHANGED"));
        List<Map<String, Object>> hooks = serverHooks(webhookUrl(id));
        assertEquals(1, hooks.size(), "one hook, never a second: " + hooks);
        String secret = webhookSecret(id, "OPS/platform");
        assertEquals(secret, ((Map<?, ?>) hooks.get(0).get("configuration")).get("secret"));
        assertEquals(HookScope.repository("OPS", "platform").secret(rootSecret(id)), secret, "the hook's own secret, derived");
        assertNotEquals(rootSecret(id), secret, "the credential's root secret never goes to Bitbucket");
        assertTrue(((List<?>) hooks.get(0).get("events")).containsAll(List.of("repo:refs_changed", "pr:opened", "pr:merged")));
        admin().put("/api/credentials/" + id + "/webhooks/OPS/no-such-repo").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("does not exist"));
        admin().put("/api/credentials/" + id + "/webhooks/OPS/bad%20slug").then().statusCode(400);
    }

    /** A hook set up by hand gets its scope's secret and URL token; the root secret is not handed out at all. */
    @Test
    void anAdminReadsTheSecretOfOneHookScopeNeverTheRootSecret() {
        String id = newServerCredential("scoped");
        admin().get("/api/credentials/" + id + "/webhook-secret").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("scope"));
        for (String bad : List.of("a/b/c", "a b", "/x")) {
            admin().queryParam("scope", bad).get("/api/credentials/" + id + "/webhook-secret").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("scope"));
        }
        String root = rootSecret(id);
        var project = admin().queryParam("scope", "OPS").get("/api/credentials/" + id + "/webhook-secret").then().statusCode(200)
                .body("scope", equalTo("ops")).extract().jsonPath();
        assertEquals(HookScope.owner("OPS").secret(root), project.getString("secret"));
        assertEquals(HookScope.owner("OPS").urlToken(root), project.getString("urlToken"));
        assertNotEquals(project.getString("secret"), project.getString("urlToken"));
        assertNotEquals(webhookSecret(id, "OPS/platform"), webhookSecret(id, "OPS/other"));
        SECRETS.add(project.getString("secret"));
        SECRETS.add(project.getString("urlToken"));
    }

    @Test
    void rotationKeepsThePreviousSecretValidForTheOverlapThenDropsIt() throws SQLException {
        String id = newServerCredential("rotated");
        registerServerHook(id);
        String before = rootSecret(id);
        Instant rotatedAt = Instant.now();
        rotateWebhookSecret(id).body("hooks[0].outcome", equalTo("UPDATED"));
        String after = rootSecret(id);
        assertNotEquals(before, after);
        assertEquals(webhookSecret(id, "OPS/platform"), ((Map<?, ?>) serverHooks(webhookUrl(id)).get(0).get("configuration")).get("secret"),
                "every registered hook got its new secret");
        assertEquals(HookScope.repository("OPS", "platform").secret(after), webhookSecret(id, "ops/platform"));

        var secrets = gateway().get("/internal/credentials/" + id + "/webhook-secrets").then().statusCode(200)
                .body("current", equalTo(after))
                .body("previous", equalTo(before))
                .body("acceptUnsignedWithToken", equalTo(false))
                .body("provider", equalTo("BITBUCKET_SERVER"))
                .body("serverHost", equalTo(RepositoryRef.hostOf(BitbucketFakesResource.server().baseUrl())))
                .extract().jsonPath();
        Instant validUntil = Instant.parse(secrets.getString("previousValidUntil"));
        // the configured overlap (1 h by default) from the moment of rotation
        assertFalse(validUntil.isBefore(rotatedAt.plus(Duration.ofMinutes(59))), String.valueOf(validUntil));
        assertTrue(validUntil.isBefore(Instant.now().plus(Duration.ofMinutes(61))), String.valueOf(validUntil));

        // a second rotation inside the overlap would cut off hooks that still carry the oldest secret: refused
        admin().urlEncodingEnabled(false).post("/api/credentials/" + id + "/webhook-secret:rotate").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("https://bitbridge.io/problems/webhook-secret-overlap"));
        assertEquals(after, rootSecret(id), "nothing changed");

        // the overlap ends: the previous secret is no longer handed out, and the next rotation may start
        try (Connection db = TestInfra.jdbc()) {
            db.createStatement().executeUpdate("update credential set previous_webhook_valid_until = now() - interval '1 second' where id = '"
                    + id + "'");
        }
        gateway().get("/internal/credentials/" + id + "/webhook-secrets").then().statusCode(200)
                .body("current", equalTo(after)).body("previous", nullValue()).body("previousValidUntil", nullValue())
                .body("next", nullValue());
        admin().put(serverHookPath(id)).then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        rotateWebhookSecret(id).body("hooks[0].outcome", equalTo("UPDATED"));
        gateway().get("/internal/credentials/" + id + "/webhook-secrets").then().statusCode(200)
                .body("previous", equalTo(after)).body("next", nullValue());
    }

    @Test
    void acceptingUnsignedDeliveriesIsAnAdminSettingTheGatewaySees() {
        String id = newServerCredential("unsigned");
        acceptUnsignedWithToken(id).body("acceptUnsignedWithToken", equalTo(true));
        gateway().get("/internal/credentials/" + id + "/webhook-secrets").then().body("acceptUnsignedWithToken", equalTo(true));
        admin().body(Map.of()).put("/api/credentials/" + id + "/accept-unsigned-with-token").then().statusCode(400);
    }

    @Test
    void serverOverTlsIsTrustedOnlyWithTheCredentialsCa() {
        String https = BitbucketFakesResource.serverHttpsUrl();
        admin().body(server("tls-no-ca", BitbucketServerFake.SANDBOX_TOKEN, https)).post("/api/credentials").then()
                .statusCode(502).body("type", containsString("bitbucket-unreachable"));

        Map<String, Object> withCa = new java.util.HashMap<>(server("tls-ca", BitbucketServerFake.SANDBOX_TOKEN, https));
        withCa.put("caPem", BitbucketFakesResource.ca().caPem());
        String id = admin().body(withCa).post("/api/credentials").then().statusCode(201)
                .body("tls.customCa", equalTo(true)).body("tls.verificationDisabled", equalTo(false))
                .body("warnings", nullValue())
                .extract().path("id");
        // every client of the credential uses its CA: webhook registration too, and services get the bundle
        admin().put("/api/credentials/" + id + "/webhooks/OPS/platform").then().statusCode(200).body("outcome", equalTo("CREATED"));
        scraper().post("/internal/credentials/" + id + "/authorization").then().statusCode(200)
                .body("caBundle", containsString("BEGIN CERTIFICATE")).body("apiBaseUrl", equalTo(https));
        admin().delete("/api/credentials/" + id).then().statusCode(204);

        Map<String, Object> insecure = new java.util.HashMap<>(server("tls-insecure", BitbucketServerFake.SANDBOX_TOKEN, https));
        insecure.put("insecureTls", true);
        admin().body(insecure).post("/api/credentials").then().statusCode(201)
                .body("tls.verificationDisabled", equalTo(true))
                .body("warnings[0]", containsString("TLS verification is turned off"));

        Map<String, Object> badCa = new java.util.HashMap<>(server("tls-bad", BitbucketServerFake.SANDBOX_TOKEN, https));
        badCa.put("caPem", "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        admin().body(badCa).post("/api/credentials").then().statusCode(400).body("detail", containsString("caPem"));
    }

    /** The credentials of every kind this test makes itself, and whatever else the table holds by then. */
    @Test
    void theRawTableHoldsNoSecretInClear() throws SQLException {
        String serverId = newServerCredential("raw");
        rootSecret(serverId);
        webhookSecret(serverId, "OPS/platform");
        rotateWebhookSecret(serverId);
        rootSecret(serverId);
        webhookSecret(serverId, "OPS/platform");
        String cloudId = newCloudApiTokenCredential("raw");
        rootSecret(cloudId);
        webhookSecret(cloudId, "acme");
        connectOAuth(unique("raw-oauth"));
        List<String> cells = new ArrayList<>();
        try (Connection db = TestInfra.jdbc(); ResultSet rows = db.createStatement().executeQuery("select * from credential")) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    cells.add(meta.getColumnName(column) + "=" + rows.getString(column));
                }
            }
        }
        assertFalse(cells.isEmpty());
        for (String secret : SECRETS) {
            for (String cell : cells) {
                assertFalse(cell.contains(secret), "secret in clear in " + cell.substring(0, cell.indexOf('=')));
            }
        }
        assertTrue(cells.contains("secret_key_id=k1") && cells.contains("webhook_secret_key_id=k1"), "key id beside each value");
    }

    @Test
    void deletingACredentialRemovesItsWebhooksFromBitbucket() {
        String id = newServerCredential("deleted");
        registerServerHook(id);
        String webhookUrl = webhookUrl(id);
        assertEquals(1, serverHooks(webhookUrl).size());
        admin().delete("/api/credentials/" + id).then().statusCode(204);
        assertEquals(0, serverHooks(webhookUrl).size());
        viewer().get("/api/credentials/" + id).then().statusCode(404);
        gateway().get("/internal/credentials/" + id + "/webhook-secrets").then().statusCode(404);
    }


    /**
     * Bitbucket is called with no transaction open: while one registration waits on a slow Bitbucket, a write to the
     * same credential's row goes through at once (a row lock held across the call would make it wait), and a second
     * registration of the same repository is refused with 409 instead of creating a second hook.
     */
    @Test
    void aSlowBitbucketCallHoldsNoLockOnTheCredential() throws Exception {
        String id = newServerCredential("slow");
        String hook = serverHookPath(id);
        var faults = BitbucketFakesResource.server().http().faults();
        faults.arm(Fault.latency(Duration.ofSeconds(3), 1).onPath("/rest/api/1.0/projects/OPS/repos/platform/webhooks"));
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var slow = pool.submit(() -> admin().put(hook));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(faults.armed().isEmpty(), "the slow call reached Bitbucket"));

            long start = System.nanoTime();
            acceptUnsignedWithToken(id);
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(tookMillis < 2000, "the credential's row was free during the Bitbucket call: " + tookMillis + " ms");
            admin().put(hook).then().statusCode(409).contentType("application/problem+json")
                    .body("type", containsString("webhook-busy"));

            io.restassured.response.Response registered = slow.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, registered.statusCode(), registered.asString());
            assertEquals("CREATED", registered.path("outcome"));
        } finally {
            pool.shutdownNow();
        }
        admin().put(hook).then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        admin().delete("/api/credentials/" + id).then().statusCode(204);
    }

    // ---- the internal API as its callers read it ---------------------------------------------------------

    @Inject
    ObjectMapper json;

    /**
     * The contract with every caller of the internal API: the real endpoints' bodies, read with the shared records by
     * this service's Quarkus ObjectMapper (configured by service-common exactly as the gateway's, whose REST client reads
     * with it). No field is sent that the records do not name, and a field added later does not break a reader.
     */
    @Test
    void theInternalApiIsReadByTheSharedRecordsAsItsCallersReadIt() throws Exception {
        String id = newServerCredential("contract");
        String before = rootSecret(id);
        rotateWebhookSecret(id);

        String secretsBody = gateway().get(InternalCredentialApi.ROOT + "/" + id + "/webhook-secrets").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString();
        assertOnlyComponentsOf(WebhookSecrets.class, secretsBody);
        WebhookSecrets secrets = json.readValue(secretsBody, WebhookSecrets.class);
        assertEquals(rootSecret(id), secrets.current());
        assertEquals(before, secrets.previous());
        assertTrue(secrets.previousAcceptedAt(Instant.now()));
        assertEquals(io.bitbridge.events.Provider.BITBUCKET_SERVER, secrets.provider());
        assertEquals(RepositoryRef.hostOf(BitbucketFakesResource.server().baseUrl()), secrets.serverHost());
        assertEquals(secrets, readStrictlyWithAFieldAddedLater(secretsBody, WebhookSecrets.class));

        String authorizationBody = scraper().post(InternalCredentialApi.ROOT + "/" + id + "/authorization").then().statusCode(200)
                .contentType(ContentType.JSON).extract().asString();
        assertOnlyComponentsOf(Authorization.class, authorizationBody);
        Authorization authorization = json.readValue(authorizationBody, Authorization.class);
        assertEquals("Bearer " + BitbucketServerFake.SANDBOX_TOKEN, authorization.authorization());
        assertEquals(BitbucketFakesResource.server().baseUrl(), authorization.apiBaseUrl());
        assertEquals("sandbox", authorization.gitUsername());
        assertEquals(io.bitbridge.events.CredentialKind.BITBUCKET_SERVER_TOKEN, authorization.kind());
        assertEquals(authorization, readStrictlyWithAFieldAddedLater(authorizationBody, Authorization.class));
        admin().delete("/api/credentials/" + id).then().statusCode(204);
    }

    private void assertOnlyComponentsOf(Class<? extends Record> type, String body) throws Exception {
        Set<String> components = new java.util.TreeSet<>();
        for (var component : type.getRecordComponents()) {
            components.add(component.getName());
        }
        Set<String> sent = new java.util.TreeSet<>();
        json.readTree(body).fieldNames().forEachRemaining(sent::add);
        assertEquals(components, sent, "the fields credential-service sends are the shared record's");
    }

    /** A mapper that fails on unknown fields, so only the record's own annotation lets the extra field pass. */
    private <T> T readStrictlyWithAFieldAddedLater(String body, Class<T> type) throws Exception {
        var withExtra = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(body);
        withExtra.put("addedByANewerCredentialService", "ignored");
        return json.copy().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .treeToValue(withExtra, type);
    }


    // ---- libs/credential-client against the real endpoint: the client and the service agree ----------------

    @Inject
    CredentialAuthorizations authorizations;

    /** The client hands out the endpoint's own body and holds it: deleted server-side, it is still served until forgotten. */
    @Test
    void theCredentialClientHoldsTheEndpointsAuthorizationUntilForgotten() throws Exception {
        String id = newServerCredential("client");
        Authorization served = json.readValue(scraper().post(InternalCredentialApi.ROOT + "/" + id + "/authorization").then()
                .statusCode(200).extract().asString(), Authorization.class);

        assertEquals(Optional.of(served), authorizations.forCredential(id));
        admin().delete("/api/credentials/" + id).then().statusCode(204);
        scraper().post(InternalCredentialApi.ROOT + "/" + id + "/authorization").then().statusCode(404);
        assertEquals(Optional.of(served), authorizations.forCredential(id), "reused within the max age: credential-service not asked again");

        authorizations.forget(id);
        assertEquals(Optional.empty(), authorizations.forCredential(id), "asked again once forgotten: the deleted credential is empty");
    }

    @Test
    void theCredentialClientAnswersEmptyForACredentialNobodyCreated() {
        assertEquals(Optional.empty(), authorizations.forCredential(UUID.randomUUID().toString()));
    }

    @Test
    void theCredentialClientSaysWhenACredentialNeedsReconnecting() {
        String id = connectOAuth(unique("client-oauth")).id();
        retireRefreshToken(id);
        CredentialNeedsReconnectException refused = assertThrows(CredentialNeedsReconnectException.class,
                () -> authorizations.forCredential(id));
        assertTrue(refused.getMessage().contains(id), refused.getMessage());
        scraper().post(InternalCredentialApi.ROOT + "/" + id + "/authorization").then().statusCode(409);
    }

    // ---- Bitbucket Cloud: API token, access token, app password ---------------------------------------

    @Test
    void cloudApiTokensAreValidatedWithBasicEmailAndToken() {
        String name = unique("acme");
        admin().body(cloudApiToken(name + "-wrong", "wrong-token")).post("/api/credentials").then()
                .statusCode(422).body("detail", containsString("401"));
        String id = createCloudApiTokenCredential(name)
                .body("kind", equalTo("BITBUCKET_CLOUD_API_TOKEN"))
                .body("username", equalTo(BitbucketCloudFake.SANDBOX_EMAIL))
                .body("account.username", equalTo("sandbox"))
                .body("webhookUrl", containsString(BitbucketFakesResource.PUBLIC_BASE_URL + "/webhooks/bitbucket-cloud/"))
                .extract().path("id");
        scraper().post("/internal/credentials/" + id + "/authorization").then().statusCode(200)
                .body("authorization", equalTo("Basic " + java.util.Base64.getEncoder().encodeToString(
                        (BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes())))
                .body("gitUsername", equalTo("x-bitbucket-api-token-auth"));
        admin().post("/api/credentials/" + id + "/test").then().statusCode(200).body("status", equalTo("UP"));
    }


    /** Atlassian writes the Cloud API base URL with /2.0; a wrong one is answered with the URL called and the right form. */
    @Test
    void aCloudApiBaseUrlIsAcceptedWithOrWithoutVersionAndAWrongOneIsExplained() {
        for (String base : List.of(cloudBase() + "/2.0", cloudBase() + "/2.0/", cloudBase() + "/")) {
            String id = admin().body(Map.of("kind", "BITBUCKET_CLOUD_API_TOKEN", "name", "base-" + UUID.randomUUID(),
                            "email", BitbucketCloudFake.SANDBOX_EMAIL, "token", BitbucketCloudFake.SANDBOX_API_TOKEN, "apiBaseUrl", base))
                    .post("/api/credentials").then().statusCode(201).body("account.username", equalTo("sandbox")).extract().path("id");
            admin().delete("/api/credentials/" + id).then().statusCode(204);
        }
        admin().body(Map.of("kind", "BITBUCKET_CLOUD_API_TOKEN", "name", "base-wrong", "email", BitbucketCloudFake.SANDBOX_EMAIL,
                        "token", BitbucketCloudFake.SANDBOX_API_TOKEN, "apiBaseUrl", cloudBase() + "/api"))
                .post("/api/credentials").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("404 to GET " + cloudBase() + "/api/2.0/user"))
                .body("detail", containsString("https://api.bitbucket.org (or https://api.bitbucket.org/2.0)"));
    }

    @Test
    void registeringTheSameCloudWebhookTwiceLeavesOneHookAndRotationUpdatesIt() {
        String id = newCloudApiTokenCredential("hooked");
        String webhookUrl = webhookUrl(id);
        admin().put("/api/credentials/" + id + "/webhooks/acme/infra").then().statusCode(200).body("outcome", equalTo("CREATED"));
        admin().put("/api/credentials/" + id + "/webhooks/acme/infra").then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        List<Map<String, Object>> hooks = cloudHooks(webhookUrl, "acme", "infra");
        assertEquals(1, hooks.size(), "one hook, never a second: " + hooks);
        assertEquals(true, hooks.get(0).get("secret_set"));
        assertTrue(((List<?>) hooks.get(0).get("events")).containsAll(List.of("repo:push", "pullrequest:created", "pullrequest:fulfilled")));
        webhookSecret(id, "acme/infra");
        rotateWebhookSecret(id).body("hooks[0].outcome", equalTo("UPDATED"));
        webhookSecret(id, "acme/infra");
        assertEquals(1, cloudHooks(webhookUrl, "acme", "infra").size());
        admin().delete("/api/credentials/" + id + "/webhooks/acme/infra").then().statusCode(204);
        assertEquals(0, cloudHooks(webhookUrl, "acme", "infra").size());
        admin().delete("/api/credentials/" + id + "/webhooks/acme/infra").then().statusCode(404);
    }

    @Test
    void aRepositoryAccessTokenIsABearerTokenAcceptedWithoutTheAccountScope() {
        admin().body(Map.of("kind", "BITBUCKET_CLOUD_ACCESS_TOKEN", "name", "game-token", "token", "ATCTTwrong",
                "apiBaseUrl", cloudBase())).post("/api/credentials").then().statusCode(422);
        String id = admin().body(Map.of("kind", "BITBUCKET_CLOUD_ACCESS_TOKEN", "name", "game-token",
                        "token", BitbucketFakesResource.REPO_ACCESS_TOKEN, "apiBaseUrl", cloudBase()))
                .post("/api/credentials").then().statusCode(201).body("status", equalTo("UP")).extract().path("id");
        scraper().post("/internal/credentials/" + id + "/authorization").then()
                .body("authorization", equalTo("Bearer " + BitbucketFakesResource.REPO_ACCESS_TOKEN))
                .body("gitUsername", equalTo("x-token-auth"));
        admin().put("/api/credentials/" + id + "/webhooks/acme/game").then().statusCode(200).body("outcome", equalTo("CREATED"));
        String webhookUrl = webhookUrl(id);
        admin().delete("/api/credentials/" + id).then().statusCode(204);
        assertEquals(0, cloudHooks(webhookUrl, "acme", "game").size(), "deleting the credential removed its hook");
    }

    @Test
    void appPasswordsAreFlaggedDeprecatedAndMigrateToAnApiTokenInOneCall() {
        String id = admin().body(Map.of("kind", "BITBUCKET_CLOUD_APP_PASSWORD", "name", "legacy", "username", "sandbox",
                        "password", BitbucketFakesResource.APP_PASSWORD, "apiBaseUrl", cloudBase()))
                .post("/api/credentials").then().statusCode(201)
                .body("deprecated", equalTo(true))
                .body("deprecation.removalDate", equalTo("2026-07-28"))
                .body("deprecation.migrateWith", containsString("/migrate-to-api-token"))
                .body("warnings[0]", containsString("2026-07-28"))
                .extract().path("id");
        viewer().get("/api/credentials").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.deprecated", equalTo(true));
        admin().body(Map.of("email", BitbucketCloudFake.SANDBOX_EMAIL, "token", "wrong")).post("/api/credentials/" + id + "/migrate-to-api-token")
                .then().statusCode(422);
        admin().body(Map.of("email", BitbucketCloudFake.SANDBOX_EMAIL, "token", BitbucketCloudFake.SANDBOX_API_TOKEN))
                .post("/api/credentials/" + id + "/migrate-to-api-token").then().statusCode(200)
                .body("id", equalTo(id))
                .body("kind", equalTo("BITBUCKET_CLOUD_API_TOKEN"))
                .body("deprecated", equalTo(false))
                .body("deprecation", nullValue());
        admin().body(Map.of("email", BitbucketCloudFake.SANDBOX_EMAIL, "token", BitbucketCloudFake.SANDBOX_API_TOKEN))
                .post("/api/credentials/" + id + "/migrate-to-api-token").then().statusCode(409);
        admin().delete("/api/credentials/" + id).then().statusCode(204);
    }

    // ---- Bitbucket Cloud OAuth: consent, refresh, failure, reconnect ------------------------------------

    @Test
    void consentStoresTheTokensAndNamesTheNewCredentialOnTheDonePage() {
        ConnectedOAuth connected = connectOAuth(unique("acme-oauth"));
        viewer().get("/api/credentials/" + connected.id()).then().statusCode(200)
                .body("kind", equalTo("BITBUCKET_CLOUD_OAUTH"))
                .body("status", equalTo("UP"))
                .body("account.username", equalTo("sandbox"))
                .body("scopes", hasItem("webhook"))
                .body("accessTokenExpiresAt", notNullValue());

        // the same state again: refused, nothing new stored
        given().redirects().follow(false).accept(ContentType.JSON).cookie("bitbridge_oauth_binding", connected.binding())
                .get(localPart(connected.callbackUrl())).then()
                .statusCode(400).contentType("application/problem+json").body("type", containsString("invalid-oauth-state"));
    }


    @Test
    void aForgedForeignOrDeniedConsentStoresNothing() {
        int before = credentialCount();
        Consent consent = startConsent(Map.of("name", "denied"));
        String callback = bitbucketAnswer(consent.authorizeUrl());
        // another browser (no or another binding cookie) cannot use it: a page for a person, problem+json for a client
        given().redirects().follow(false).accept("text/html,application/xhtml+xml,*/*;q=0.8").get(localPart(callback)).then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("Invalid OAuth state")).body(containsString("close this tab"))
                .body(not(containsString("Exception")));
        given().redirects().follow(false).accept(ContentType.JSON).get(localPart(callback)).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("https://bitbridge.io/problems/invalid-oauth-state"));
        given().redirects().follow(false).cookie("bitbridge_oauth_binding", "someone-else").get(localPart(callback)).then().statusCode(400);
        // a forged state
        String forged = localPart(callback).replaceAll("state=[^&]+", "state=abc.9999999999.Zm9yZ2Vk");
        given().redirects().follow(false).cookie("bitbridge_oauth_binding", consent.binding()).get(forged).then().statusCode(400);

        BitbucketFakesResource.cloud().setConsentDenied(true);
        try {
            Consent denied = startConsent(Map.of("name", "denied"));
            String deniedCallback = bitbucketAnswer(denied.authorizeUrl());
            assertTrue(deniedCallback.contains("error=access_denied"), deniedCallback);
            assertEquals("bitbucket_error=access_denied", callback(deniedCallback, denied.binding()));
        } finally {
            BitbucketFakesResource.cloud().setConsentDenied(false);
        }
        assertEquals(before, credentialCount());

        // the name was free when consent started and is taken when Bitbucket answers: nothing overwritten
        String lateName = unique("late-name");
        Consent late = startConsent(Map.of("name", lateName));
        String lateCallback = bitbucketAnswer(late.authorizeUrl());
        String otherId = createCloudApiTokenCredential(lateName).extract().path("id");
        assertEquals("bitbridge_error=name_taken", callback(lateCallback, late.binding()));
        admin().delete("/api/credentials/" + otherId).then().statusCode(204);
        assertEquals(before, credentialCount());
    }

    /**
     * As a person does it: the admin's consent link opened in a browser (no token), Bitbucket's Allow, the callback, and
     * a page naming the credential and the account, HTML-escaped, without a secret. The link works once.
     */
    @Test
    void aConsentLinkOpensOnceInABrowserAndEndsOnAPageNamingTheCredential() {
        String name = unique("<b>acme</b> & \"co\"");
        Consent consent = startConsent(Map.of("name", name));
        String done = given().urlEncodingEnabled(false).redirects().follow(false).cookie("bitbridge_oauth_binding", consent.binding())
                .get(localPart(bitbucketAnswer(consent.authorizeUrl()))).then().statusCode(303).extract().header("Location");
        String page = given().urlEncodingEnabled(false).accept("text/html,application/xhtml+xml,*/*;q=0.8")
                .cookie("bitbridge_oauth_binding", consent.binding()).get(localPart(done)).then().statusCode(200)
                .contentType(containsString("text/html")).header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .extract().asString();
        String escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        assertTrue(page.contains("Bitbucket Cloud connected") && page.contains("<strong>" + escaped + "</strong>")
                && page.contains("<strong>" + BitbucketCloudFake.SANDBOX_USER + "</strong>") && page.contains("close this tab")
                && page.contains("href=\"" + BitbucketFakesResource.UI_URL + "\""), page);
        assertFalse(page.contains("<b>acme</b>"), "escaped: " + page);
        String id = admin().get("/api/credentials").then().statusCode(200).extract().jsonPath()
                .getString("find { it.name == '" + name.replace("\\", "\\\\").replace("'", "\\'") + "' }.id");
        assertTrue(page.contains(id), page);
        rememberOAuthTokens(id);
        for (String secret : SECRETS) {
            assertFalse(page.contains(secret) || done.contains(secret), "a secret on the page");
        }
        assertFalse(page.contains(consent.binding()), "the binding cookie is not on the page");

        // the done page shows the outcome only to the browser that gave consent
        given().urlEncodingEnabled(false).accept(ContentType.JSON).get(localPart(done)).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("https://bitbridge.io/problems/consent-outcome-unavailable"));
        given().urlEncodingEnabled(false).accept(ContentType.JSON).cookie("bitbridge_oauth_binding", "another-browser")
                .get(localPart(done)).then().statusCode(400);
        String tampered = localPart(done).replaceFirst("outcome=_", "outcome=_A");
        given().urlEncodingEnabled(false).accept(ContentType.JSON).cookie("bitbridge_oauth_binding", consent.binding())
                .get(tampered).then().statusCode(400);

        // the consent link again (another tab, a replay): refused, with a page for a person and problem+json for a client
        given().urlEncodingEnabled(false).redirects().follow(false).get(localPart(consent.consentUrl())).then().statusCode(400)
                .contentType(containsString("text/html")).header("Set-Cookie", nullValue())
                .body(containsString("already used")).body(not(containsString("Exception")));
        given().urlEncodingEnabled(false).redirects().follow(false).accept(ContentType.JSON).get(localPart(consent.consentUrl())).then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://bitbridge.io/problems/consent-link-invalid"));
        admin().delete("/api/credentials/" + id).then().statusCode(204);
    }

    /** A consent link past its lifetime, one Bitbridge never made, or no link at all: refused before anything is stored. */
    @Test
    void anExpiredOrUnknownConsentLinkIsRefused() throws SQLException {
        String name = unique("expired-link");
        String link = askForConsentLink("/api/credentials/oauth-consents", Map.of("name", name));
        String ticket = link.substring(link.indexOf("ticket=") + "ticket=".length());
        try (Connection db = TestInfra.jdbc();
             var expire = db.prepareStatement("update oauth_state set expires_at = now() - interval '1 second' where ticket_hash = ?")) {
            expire.setString(1, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII))));
            assertEquals(1, expire.executeUpdate(), "the ticket is stored only as its SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        given().urlEncodingEnabled(false).redirects().follow(false).get(localPart(link)).then().statusCode(400)
                .contentType(containsString("text/html")).header("Set-Cookie", nullValue()).body(containsString("expired"));
        given().urlEncodingEnabled(false).redirects().follow(false).accept(ContentType.JSON).get(localPart(link)).then().statusCode(400)
                .body("type", equalTo("https://bitbridge.io/problems/consent-link-expired"));
        pressContinue(ticket).then().statusCode(400).header("Set-Cookie", nullValue()).body(containsString("expired"));
        // once the button was refused as expired the link is gone
        given().urlEncodingEnabled(false).redirects().follow(false).accept(ContentType.JSON).get(localPart(link)).then().statusCode(400)
                .body("type", equalTo("https://bitbridge.io/problems/consent-link-invalid"));

        String unknown = "/oauth/bitbucket-cloud/begin?ticket=" + "A".repeat(43);
        for (String path : List.of(unknown, "/oauth/bitbucket-cloud/begin", "/oauth/bitbucket-cloud/begin?ticket=%3Cscript%3E")) {
            given().urlEncodingEnabled(false).redirects().follow(false).accept(ContentType.JSON).get(path).then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo("https://bitbridge.io/problems/consent-link-invalid"));
            given().urlEncodingEnabled(false).redirects().follow(false).get(path).then().statusCode(400)
                    .contentType(containsString("text/html")).body(not(containsString("<script>")));
        }
        for (String ticketGiven : List.of("A".repeat(43), "", "<script>")) {
            pressContinue(ticketGiven).then().statusCode(400).header("Set-Cookie", nullValue())
                    .contentType(containsString("text/html")).body(not(containsString("<script>")));
        }
        admin().get("/api/credentials").then().statusCode(200).body("name", not(hasItem(name)));
    }

    /** Reconnecting through POST oauth-consents with credentialId: the same credential, its tokens replaced. */
    @Test
    void aConsentLinkForAnExistingCredentialReconnectsIt() {
        String id = connectOAuth(unique("reconnect-link")).id();
        Consent consent = startConsent(Map.of("credentialId", id));
        assertEquals("credential=" + id, callback(bitbucketAnswer(consent.authorizeUrl()), consent.binding()));
        rememberOAuthTokens(id);
        viewer().get("/api/credentials/" + id).then().statusCode(200).body("status", equalTo("UP"))
                .body("account.username", equalTo(BitbucketCloudFake.SANDBOX_USER));
        // only OAuth credentials reconnect through consent; an unknown id is a 404
        String apiToken = newCloudApiTokenCredential("not-oauth");
        admin().body(Map.of("credentialId", apiToken)).post("/api/credentials/oauth-consents").then().statusCode(409)
                .body("type", containsString("not-oauth"));
        admin().body(Map.of("credentialId", UUID.randomUUID().toString())).post("/api/credentials/oauth-consents").then().statusCode(404);
        admin().delete("/api/credentials/" + apiToken).then().statusCode(204);
    }

    /** A consent given by another Bitbucket user does not take over a credential unless the admin asked for the change. */
    @Test
    void reconnectingAsAnotherBitbucketAccountIsRefusedUnlessAskedFor() {
        String id = connectOAuth(unique("account-change")).id();
        BitbucketFakesResource.cloud().setConsentingUser(BitbucketFakesResource.OTHER_USER);
        try {
            assertEquals("bitbridge_error=account_mismatch", reconnect(id));
            viewer().get("/api/credentials/" + id).then().statusCode(200).body("account.username", equalTo("sandbox"));

            Consent allowed = startConsent(Map.of("credentialId", id, "allowAccountChange", true));
            assertEquals("credential=" + id, callback(bitbucketAnswer(allowed.authorizeUrl()), allowed.binding()));
            viewer().get("/api/credentials/" + id).then().statusCode(200).body("account.username", equalTo(BitbucketFakesResource.OTHER_USER));
            rememberOAuthTokens(id);
        } finally {
            BitbucketFakesResource.cloud().setConsentingUser(BitbucketCloudFake.SANDBOX_USER);
        }
    }

    @Test
    void twoConcurrentCallersWithAnExpiredTokenCauseOneRefresh() throws Exception {
        String id = connectOAuth(unique("refreshed")).id();
        String before = authorization(id);
        expireAccessToken(id);
        var tokenEndpoint = BitbucketFakesResource.cloud().requests();
        tokenEndpoint.clear();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> authorizationResponse(id));
            var second = pool.submit(() -> authorizationResponse(id));
            io.restassured.response.Response a = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
            io.restassured.response.Response b = second.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, a.statusCode(), a.asString());
            assertEquals(200, b.statusCode(), b.asString());
            assertEquals(a.path("authorization").toString(), b.path("authorization").toString(), "both got the one refreshed token");
            assertNotEquals(before, a.path("authorization").toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, tokenEndpoint.to("POST", "/site/oauth2/access_token").size(), "the rotating refresh token was spent once");
        rememberOAuthTokens(id);
        // the refreshed token works at Bitbucket
        admin().post("/api/credentials/" + id + "/test").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aFailedRefreshMarksTheCredentialDownUntilItIsReconnected() {
        String id = connectOAuth(unique("retired")).id();
        retireRefreshToken(id);
        scraper().post("/internal/credentials/" + id + "/authorization").then().statusCode(409)
                .body("type", containsString("credential-down")).body("detail", containsString("invalid_grant"));
        viewer().get("/api/credentials/" + id).then()
                .body("status", equalTo("DOWN"))
                .body("statusReason", containsString("invalid_grant"))
                .body("statusChangedAt", notNullValue());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(logs.lines().stream().anyMatch(line ->
                        line.contains("refreshing the OAuth token of credential " + id + " failed: invalid_grant")),
                "the capture saw the service's own warnings"));

        assertEquals("credential=" + id, reconnect(id));
        viewer().get("/api/credentials/" + id).then().body("status", equalTo("UP")).body("statusReason", nullValue());
        scraper().post("/internal/credentials/" + id + "/authorization").then().statusCode(200)
                .body("gitUsername", equalTo("x-token-auth"));
        rememberOAuthTokens(id);
        String webhookUrl = webhookUrl(id);
        admin().put("/api/credentials/" + id + "/webhooks/tools/scripts").then().statusCode(200).body("outcome", equalTo("CREATED"));
        admin().put("/api/credentials/" + id + "/webhooks/tools/scripts").then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        assertEquals(1, cloudHooks(webhookUrl, "tools", "scripts").size());
    }

    // ---- circuit breaker per Bitbucket endpoint -----------------------------------------------------------

    @Inject
    BitbucketGuards breakers;

    @Inject
    MeterRegistry meters;

    /** Its own Server fake, so its endpoint's breaker starts closed and no other test shares it. */
    @Test
    void anEndpointThatKeepsFailingIsCutOffUntilTheDelayThenTriedAgain() {
        try (BitbucketServerFake flaky = BitbucketServerFake.sandbox(0)) {
            String origin = flaky.baseUrl();
            String hookPath = "/api/credentials/%s/webhooks/OPS/platform";
            String id = admin().body(server("flaky", BitbucketServerFake.SANDBOX_TOKEN, origin)).post("/api/credentials").then()
                    .statusCode(201).extract().path("id");
            String hook = hookPath.formatted(id);

            // Bitbucket answering 401 works: refusals never count, however many
            flaky.http().faults().arm(Fault.status(401, 6));
            for (int i = 0; i < 6; i++) {
                admin().put(hook).then().statusCode(422).body("type", equalTo("https://bitbridge.io/problems/bitbucket-rejected"));
            }
            assertEquals(CircuitBreakerState.CLOSED, breakers.state(origin));

            // 503s: the window of 4 fills with outages (each retry attempt counts) and the breaker opens
            flaky.http().faults().arm(Fault.status(503, 20));
            admin().put(hook).then().statusCode(org.hamcrest.Matchers.oneOf(502, 503)).contentType("application/problem+json");
            assertEquals(CircuitBreakerState.OPEN, breakers.state(origin));
            assertEquals(1.0, meters.get("bitbridge.bitbucket.circuit.state").tags("endpoint", origin, "state", "open").gauge().value());

            // while open: 503 at once with Retry-After, and the fake's recorder proves nothing reached Bitbucket
            flaky.http().requests().clear();
            admin().put(hook).then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-3]"))
                    .body("type", equalTo("https://bitbridge.io/problems/bitbucket-circuit-open"))
                    .body("detail", containsString(origin));
            assertTrue(flaky.http().requests().all().isEmpty(), "sent while open: " + flaky.http().requests().all());
            viewer().get("/api/credentials/" + id).then().statusCode(200)
                    .body("warnings", hasItem(containsString("circuit breaker is OPEN")));

            // Bitbucket recovers: after the (test-sized) delay a trial request goes through and closes the breaker
            flaky.http().faults().clear();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> admin().put(hook).then().statusCode(200).body("outcome", equalTo("CREATED")));
            assertEquals(CircuitBreakerState.CLOSED, breakers.state(origin));
            assertEquals(1.0, meters.get("bitbridge.bitbucket.circuit.state").tags("endpoint", origin, "state", "closed").gauge().value());
            assertFalse(flaky.http().requests().all().isEmpty());
            viewer().get("/api/credentials/" + id).then().statusCode(200).body("warnings", nullValue());

            admin().delete("/api/credentials/" + id).then().statusCode(204);
        }
    }

    // ---- events -----------------------------------------------------------------------------------------

    /**
     * The events of changes this test makes, read from the moment it starts: a Server credential's whole life and an
     * OAuth credential's failed refresh and reconnect. The sentinel proves that nothing else was published meanwhile.
     */
    @Test
    void lifecycleEventsAreKeyedByCredentialIdAndCarryNoSecret() {
        // every earlier test's events are on the topic before the tail opens
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsInOutbox() == 0);
        try (TopicTail lifecycle = TopicTail.from(TestInfra.topic(Topics.CREDENTIALS_LIFECYCLE))) {
            String serverId = newServerCredential("events");
            registerServerHook(serverId);
            rotateWebhookSecret(serverId);
            acceptUnsignedWithToken(serverId);
            admin().delete("/api/credentials/" + serverId).then().statusCode(204);
            String oauthId = connectOAuth(unique("events-oauth")).id();
            retireRefreshToken(oauthId);
            scraper().post("/internal/credentials/" + oauthId + "/authorization").then().statusCode(409);
            assertEquals("credential=" + oauthId, reconnect(oauthId));
            rememberOAuthTokens(oauthId);

            List<ConsumerRecord<byte[], byte[]>> serverRecords = eventsUntil(lifecycle, serverId, event -> event.contains("\"DELETED\""));
            List<ConsumerRecord<byte[], byte[]>> oauthRecords = eventsUntil(lifecycle, oauthId,
                    event -> event.contains("STATUS_CHANGED") && event.contains("\"status\":\"UP\""));
            lifecycle.assertNothingElse();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertEquals(0, eventsInOutbox(), "every recorded event was published and removed from the outbox"));

            List<String> serverTypes = serverRecords.stream().map(r -> text(r.value()).replaceAll(".*\"type\":\"([A-Z_]+)\".*", "$1")).toList();
            // a rotation announces the staged secret, then its promotion
            assertEquals(List.of("CREATED", "WEBHOOK_SECRET_ROTATED", "WEBHOOK_SECRET_ROTATED", "UPDATED", "DELETED"), serverTypes);
            List<String> oauthEvents = oauthRecords.stream().map(r -> text(r.value())).toList();
            assertTrue(oauthEvents.get(0).contains("\"type\":\"CREATED\"") && oauthEvents.get(0).contains("\"kind\":\"BITBUCKET_CLOUD_OAUTH\""));
            assertTrue(oauthEvents.stream().anyMatch(e -> e.contains("\"STATUS_CHANGED\"") && e.contains("\"status\":\"DOWN\"")
                    && e.contains("invalid_grant")), "refresh failure published: " + oauthEvents);
            assertTrue(oauthEvents.get(oauthEvents.size() - 1).contains("\"status\":\"UP\""), "reconnect published UP");
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(serverRecords);
            records.addAll(oauthRecords);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                assertTrue(text(record.value()).contains("\"credentialId\":\"" + text(record.key()) + "\""));
                assertEquals("io.bitbridge.credentials.lifecycle.v1", text(record.headers().lastHeader(CloudEventHeaders.TYPE).value()));
                for (String secret : SECRETS) {
                    assertFalse(text(record.value()).contains(secret), "a secret in an event");
                }
            }
        }
    }

    // ---- the outbox: commit order, parking, never in the way of an answer -----------------------------------

    @Inject
    LifecycleEvents events;

    @Inject
    Vertx vertx;

    /**
     * Two changes of one credential whose transactions overlap, the first to write its outbox row committing last:
     * the compacted topic ends with the state the table ends with. The first transaction stays open until the second
     * has committed or PostgreSQL shows it waiting for a lock the first holds (it could not commit before then anyway).
     */
    @Test
    void aCredentialsEventsLeaveInCommitOrder() throws Exception {
        String id = newServerCredential("commit-order");
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsInOutbox() == 0);
        CompletableFuture<Integer> firstRecorded = new CompletableFuture<>();
        CompletableFuture<Void> secondCommittedOrHeldBack = new CompletableFuture<>();
        try (TopicTail lifecycle = TopicTail.from(TestInfra.topic(Topics.CREDENTIALS_LIFECYCLE))) {
            CompletableFuture<Object> first = OnVertx.run(vertx, () -> Panache.withTransaction(() -> backendPid()
                    .call(pid -> markDown(id, "first"))
                    .invoke(firstRecorded::complete)
                    // the second change goes ahead meanwhile, unless this transaction's lock holds it back
                    .chain(() -> OnContext.resume(Uni.createFrom().completionStage(secondCommittedOrHeldBack)
                            .ifNoItem().after(Duration.ofSeconds(30)).recoverWithItem((Void) null)))));
            int firstBackend = firstRecorded.get(30, TimeUnit.SECONDS);
            CompletableFuture<Void> second = OnVertx.run(vertx, () -> Panache.withTransaction(() -> markDown(id, "second"))
                    .invoke(() -> secondCommittedOrHeldBack.complete(null)));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> secondCommittedOrHeldBack.isDone() || waitsForLockOf(firstBackend));
            secondCommittedOrHeldBack.complete(null);
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
            events.flushSoon();

            lifecycle.await(record -> id.equals(text(record.key())));
            String last = text(lifecycle.await(record -> id.equals(text(record.key()))).value());
            assertTrue(last.contains("\"statusReason\":\"" + statusReason(id) + "\""), "the table says " + statusReason(id) + ", the topic " + last);
        }
    }

    private Uni<Void> markDown(String id, String reason) {
        return Credential.<Credential>findById(UUID.fromString(id)).chain(c -> {
            c.status(Status.DOWN, reason, Instant.now());
            return events.record(c, Type.STATUS_CHANGED);
        });
    }

    /** The PostgreSQL backend of the current session's connection. */
    private static Uni<Integer> backendPid() {
        return Panache.getSession().chain(session -> session.createNativeQuery("select pg_backend_pid()", Integer.class).getSingleResult());
    }

    /** Whether some backend waits for a lock that backend {@code pid} holds. */
    private static boolean waitsForLockOf(int pid) throws SQLException {
        try (Connection db = TestInfra.jdbc(); ResultSet waiting = db.createStatement().executeQuery(
                "select count(*) from pg_stat_activity where " + pid + " = any(pg_blocking_pids(pid))")) {
            waiting.next();
            return waiting.getLong(1) > 0;
        }
    }

    private static String statusReason(String id) throws SQLException {
        try (Connection db = TestInfra.jdbc(); var query = db.prepareStatement("select status_reason from credential where id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** Flushers of several replicas at once: every credential's events still arrive in the order they were recorded. */
    @Test
    void replicasFlushingAtOnceKeepEachCredentialsOrder() throws Exception {
        List<String> ids = List.of(newServerCredential("replica-a"), newServerCredential("replica-b"), newServerCredential("replica-c"));
        try (TopicTail lifecycle = TopicTail.from(TestInfra.topic(Topics.CREDENTIALS_LIFECYCLE))) {
            for (int step = 1; step <= 8; step++) {
                for (String id : ids) {
                    String reason = "step-" + step;
                    OnVertx.run(vertx, () -> Panache.withTransaction(() -> markDown(id, reason))).get(30, TimeUnit.SECONDS);
                }
            }
            List<CompletableFuture<Void>> flushers = new ArrayList<>();
            for (int replica = 0; replica < 4; replica++) {
                flushers.add(OnVertx.run(vertx, events::flush));
            }
            for (CompletableFuture<Void> flusher : flushers) {
                flusher.get(60, TimeUnit.SECONDS);
            }
            for (String id : ids) {
                List<String> reasons = new ArrayList<>();
                while (reasons.size() < 8) {
                    String event = text(lifecycle.await(record -> id.equals(text(record.key()))).value());
                    if (event.contains("\"step-")) {
                        reasons.add(event.replaceAll(".*\"statusReason\":\"(step-[0-9]+)\".*", "$1"));
                    }
                }
                assertEquals(List.of("step-1", "step-2", "step-3", "step-4", "step-5", "step-6", "step-7", "step-8"), reasons, id);
            }
        }
    }

    /** A row that does not read back is put aside (marked, counted, logged without its content); the rest are published. */
    @Test
    void anUnreadableOutboxRowIsParkedAndTheRestGoOn() throws Exception {
        String id = newServerCredential("parking");
        String content = "unreadable-" + UUID.randomUUID();
        SECRETS.add(content);
        double parkedBefore = meters.get("bitbridge.outbox.parked").counter().count();
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsInOutbox() == 0);
        try (TopicTail lifecycle = TopicTail.from(TestInfra.topic(Topics.CREDENTIALS_LIFECYCLE)); Connection db = TestInfra.jdbc();
             var insert = db.prepareStatement("insert into outbox_event (credential_id, event_id, payload, created_at) values (?, ?, ?, now())")) {
            insert.setObject(1, UUID.fromString(id));
            insert.setString(2, "broken-" + id);
            insert.setBytes(3, content.getBytes(StandardCharsets.UTF_8));
            insert.executeUpdate();

            acceptUnsignedWithToken(id);
            assertTrue(text(lifecycle.await(record -> id.equals(text(record.key()))).value()).contains("\"type\":\"UPDATED\""),
                    "the event behind the unreadable one was published");
            // the mark is committed with the flush's transaction, a moment after the events behind it left
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (var parked = db.prepareStatement("select parked_at, parked_reason from outbox_event where event_id = ?")) {
                    parked.setString(1, "broken-" + id);
                    try (ResultSet row = parked.executeQuery()) {
                        assertTrue(row.next(), "the unreadable row is kept");
                        assertTrue(row.getTimestamp(1) != null && row.getString(2) != null, "and marked as parked");
                    }
                }
            });
        }
        assertEquals(parkedBefore + 1, meters.get("bitbridge.outbox.parked").counter().count());
        assertTrue(logs.lines().stream().anyMatch(line -> line.contains("parked outbox row") && line.contains("broken-" + id)));
    }

    /** One credential's events from the tail, oldest first, up to the first whose JSON {@code last} matches. */
    private static List<ConsumerRecord<byte[], byte[]>> eventsUntil(TopicTail tail, String credentialId, Predicate<String> last) {
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
        do {
            events.add(tail.await(record -> credentialId.equals(text(record.key()))));
        } while (!last.test(text(events.get(events.size() - 1).value())));
        return events;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long eventsInOutbox() throws SQLException {
        try (Connection db = TestInfra.jdbc(); ResultSet left = db.createStatement().executeQuery("select count(*) from outbox_event where parked_at is null")) {
            left.next();
            return left.getLong(1);
        }
    }

    // ---- what a test needs: each test makes its own -------------------------------------------------------

    /** A name no other test uses (credential names are unique, case-insensitively). */
    private static String unique(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a Server token credential (the sandbox token) with this name; 201 checked. */
    private static ValidatableResponse createServerCredential(String name) {
        return admin().body(server(name, BitbucketServerFake.SANDBOX_TOKEN)).post("/api/credentials").then().statusCode(201);
    }

    /** A new Server token credential's id. */
    private static String newServerCredential(String purpose) {
        return createServerCredential(unique(purpose)).extract().path("id");
    }

    /** Creates a Cloud API-token credential (the sandbox account) with this name; 201 checked. */
    private static ValidatableResponse createCloudApiTokenCredential(String name) {
        return admin().body(cloudApiToken(name, BitbucketCloudFake.SANDBOX_API_TOKEN)).post("/api/credentials").then().statusCode(201);
    }

    /** A new Cloud API-token credential's id. */
    private static String newCloudApiTokenCredential(String purpose) {
        return createCloudApiTokenCredential(unique(purpose)).extract().path("id");
    }

    /** A credential connected through consent, and the callback that completed it (to try replaying it). */
    private record ConnectedOAuth(String id, String callbackUrl, String binding) {
    }

    /** Connects a Cloud OAuth credential as an admin would: consent, Bitbucket's Allow, the callback; its tokens remembered. */
    private static ConnectedOAuth connectOAuth(String name) {
        Consent consent = startConsent(Map.of("name", name));
        String callback = bitbucketAnswer(consent.authorizeUrl());
        String outcome = callback(callback, consent.binding());
        assertTrue(outcome.startsWith("credential="), outcome);
        String id = outcome.substring(outcome.indexOf('=') + 1);
        rememberOAuthTokens(id);
        return new ConnectedOAuth(id, callback, consent.binding());
    }

    /**
     * Leaves the credential with a refresh token Bitbucket has retired and an expired access token, so its next use
     * refreshes and fails: a refresh spends (rotates) the stored refresh token, then the spent one is put back.
     */
    private static void retireRefreshToken(String id) {
        try {
            String[] spent = sealedRefreshToken(id);
            expireAccessToken(id);
            authorization(id);
            rememberOAuthTokens(id);
            restoreRefreshToken(id, spent);
            expireAccessToken(id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reconnects through consent (the admin's reconnect, Bitbucket's Allow) and answers how it ended (see {@link #callback}). */
    private static String reconnect(String id) {
        Consent consent = openConsentLink(askForConsentLink("/api/credentials/" + id + "/reconnect", null));
        return callback(bitbucketAnswer(consent.authorizeUrl()), consent.binding());
    }

    /** The credential's hook on the Server fake's OPS/platform, newly created. */
    private static void registerServerHook(String id) {
        admin().put(serverHookPath(id)).then().statusCode(200).body("outcome", equalTo("CREATED"));
    }

    private static String serverHookPath(String id) {
        return "/api/credentials/" + id + "/webhooks/OPS/platform";
    }

    private static ValidatableResponse rotateWebhookSecret(String id) {
        return admin().urlEncodingEnabled(false).post("/api/credentials/" + id + "/webhook-secret:rotate").then().statusCode(200);
    }

    private static ValidatableResponse acceptUnsignedWithToken(String id) {
        return admin().body(Map.of("enabled", true)).put("/api/credentials/" + id + "/accept-unsigned-with-token").then().statusCode(200);
    }

    /** Where Bitbucket delivers the credential's webhooks: what tells its hooks from other tests' on the same repository. */
    private static String webhookUrl(String id) {
        return viewer().get("/api/credentials/" + id).then().statusCode(200).extract().path("webhookUrl");
    }

    // ---- Cloud helpers ----------------------------------------------------------------------------------

    private record Consent(String consentUrl, String authorizeUrl, String binding) {
    }

    /** An admin asks for a consent link ({@code POST /api/credentials/oauth-consents} with this body), a browser opens it. */
    private static Consent startConsent(Map<String, Object> body) {
        return openConsentLink(askForConsentLink("/api/credentials/oauth-consents", body));
    }

    /** The consent link an admin gets: on the OAuth public URL (the callback's host), a 256-bit ticket, 5 minutes. */
    private static String askForConsentLink(String path, Object body) {
        Instant before = Instant.now();
        RequestSpecification request = admin();
        ValidatableResponse created = (body == null ? request : request.body(body)).post(path).then().statusCode(201)
                .header("Cache-Control", "no-store");
        String url = created.extract().path("consentUrl");
        assertTrue(url.matches(java.util.regex.Pattern.quote(BitbucketFakesResource.OAUTH_PUBLIC_URL + "/oauth/bitbucket-cloud/begin?ticket=")
                + "[A-Za-z0-9_-]{43}"), url);
        Instant expiresAt = Instant.parse(created.extract().path("expiresAt"));
        assertTrue(!expiresAt.isBefore(before.plus(Duration.ofMinutes(5)).minusSeconds(1))
                && !expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(1)), "expires in 5 minutes: " + expiresAt);
        return url;
    }

    /** A browser (no token) opens the consent link: the binding cookie, and the redirect to Bitbucket's consent page. */
    private static Consent openConsentLink(String consentUrl) {
        String ticket = consentUrl.substring(consentUrl.indexOf("ticket=") + "ticket=".length());
        // Opening the link only shows what it is for: a link preview (a chat client fetching it) does not spend it.
        for (int look = 0; look < 2; look++) {
            given().urlEncodingEnabled(false).redirects().follow(false).get(localPart(consentUrl)).then().statusCode(200)
                    .contentType(containsString("text/html")).header("Cache-Control", "no-store").header("Set-Cookie", nullValue())
                    .body(containsString("<form method=\"post\" action=\"begin\">"))
                    .body(containsString("name=\"ticket\" value=\"" + ticket + "\""));
        }
        given().urlEncodingEnabled(false).accept(ContentType.JSON).get(localPart(consentUrl)).then().statusCode(200)
                .body("expiresAt", notNullValue()).body("next", containsString("POST"));
        io.restassured.response.Response response = pressContinue(ticket);
        response.then().statusCode(303).header("Cache-Control", "no-store");
        String binding = response.getCookie("bitbridge_oauth_binding");
        assertTrue(binding != null && !binding.isBlank(), "binding cookie set");
        assertTrue(response.getDetailedCookie("bitbridge_oauth_binding").isSecured(), "Secure: the OAuth public URL is https");
        assertTrue(response.getDetailedCookie("bitbridge_oauth_binding").isHttpOnly(), "HttpOnly");
        String url = response.header("Location");
        assertTrue(url.startsWith(BitbucketFakesResource.cloud().authorizeUrl() + "?client_id=" + BitbucketFakesResource.CONSUMER_KEY), url);
        // PKCE (RFC 7636): an S256 challenge, 43 characters of base64url; the fake redeems the code only with its verifier
        assertTrue(url.matches(".*[?&]code_challenge=[A-Za-z0-9_-]{43}(&.*|$)") && url.contains("&code_challenge_method=S256"), url);
        return new Consent(consentUrl, url, binding);
    }

    /** Bitbucket's authorize page (the fake clicks Allow or Deny) and the callback URL it redirects the browser to. */
    private static String bitbucketAnswer(String authorizeUrl) {
        String location = given().urlEncodingEnabled(false).redirects().follow(false).get(authorizeUrl).then().statusCode(302)
                .extract().header("Location");
        assertTrue(location.startsWith(BitbucketFakesResource.OAUTH_PUBLIC_URL + "/oauth/bitbucket-cloud/callback?"), location);
        return location;
    }

    /**
     * Delivers the callback to the service (the public base URL stands for it), follows its redirect to the done page
     * as the same browser and answers how it ended: {@code credential=<id>}, {@code bitbucket_error=<code>} or
     * {@code bitbridge_error=<code>}.
     */
    private static String callback(String callbackUrl, String binding) {
        String done = given().urlEncodingEnabled(false).redirects().follow(false).cookie("bitbridge_oauth_binding", binding)
                .get(localPart(callbackUrl)).then().statusCode(303).header("Cache-Control", "no-store").extract().header("Location");
        assertTrue(done.startsWith(BitbucketFakesResource.OAUTH_PUBLIC_URL + "/oauth/bitbucket-cloud/done?outcome="), done);
        io.restassured.path.json.JsonPath outcome = given().urlEncodingEnabled(false).accept(ContentType.JSON)
                .cookie("bitbridge_oauth_binding", binding).get(localPart(done)).then().statusCode(200).extract().jsonPath();
        return outcome.getBoolean("connected") ? "credential=" + outcome.getString("credentialId")
                : outcome.getString("source") + "_error=" + outcome.getString("error");
    }

    /** The consent page's button, as the browser sends it. */
    private static io.restassured.response.Response pressContinue(String ticket) {
        return given().redirects().follow(false).contentType(ContentType.URLENC).formParam("ticket", ticket)
                .post("/oauth/bitbucket-cloud/begin");
    }

    private static String localPart(String url) {
        return url.substring(BitbucketFakesResource.OAUTH_PUBLIC_URL.length());
    }

    /** The stored (sealed) refresh token: cipher text and key id. */
    private static String[] sealedRefreshToken(String id) throws SQLException {
        try (Connection db = TestInfra.jdbc(); ResultSet row = db.createStatement().executeQuery(
                "select refresh_token_cipher, refresh_token_key_id from credential where id = '" + id + "'")) {
            assertTrue(row.next());
            return new String[]{row.getString(1), row.getString(2)};
        }
    }

    /** Adds the credential's current OAuth tokens to the secrets searched for. */
    private static void rememberOAuthTokens(String id) {
        String authorization = authorization(id);
        SECRETS.add(authorization.substring("Bearer ".length()));
        // the refresh token itself only ever leaves the service towards Bitbucket: read it from the fake's log
        BitbucketFakesResource.cloud().requests().to("POST", "/site/oauth2/access_token").forEach(r ->
                java.util.Arrays.stream(r.request().bodyText().split("&")).filter(p -> p.startsWith("refresh_token=") || p.startsWith("code="))
                        .forEach(p -> SECRETS.add(java.net.URLDecoder.decode(p.substring(p.indexOf('=') + 1), java.nio.charset.StandardCharsets.UTF_8))));
    }

    private static void restoreRefreshToken(String id, String[] sealed) throws SQLException {
        try (Connection db = TestInfra.jdbc(); var update = db.prepareStatement(
                "update credential set refresh_token_cipher = ?, refresh_token_key_id = ? where id = ?::uuid")) {
            update.setString(1, sealed[0]);
            update.setString(2, sealed[1]);
            update.setString(3, id);
            assertEquals(1, update.executeUpdate());
        }
    }

    private static void expireAccessToken(String id) throws SQLException {
        try (Connection db = TestInfra.jdbc()) {
            assertEquals(1, db.createStatement().executeUpdate(
                    "update credential set access_token_expires_at = now() - interval '1 minute' where id = '" + id + "'"));
        }
    }

    private static String authorization(String id) {
        return scraper().post("/internal/credentials/" + id + "/authorization").then().statusCode(200).extract().path("authorization");
    }

    private static io.restassured.response.Response authorizationResponse(String id) {
        return scraper().post("/internal/credentials/" + id + "/authorization");
    }

    private static int credentialCount() {
        return viewer().get("/api/credentials").then().statusCode(200).extract().path("size()");
    }

    /** The hooks on a Cloud fake repository that deliver to this webhook URL. */
    private static List<Map<String, Object>> cloudHooks(String webhookUrl, String workspace, String repo) {
        List<Map<String, Object>> hooks = given().auth().preemptive().basic(BitbucketCloudFake.SANDBOX_EMAIL, BitbucketCloudFake.SANDBOX_API_TOKEN)
                .get(cloudBase() + "/2.0/repositories/" + workspace + "/" + repo + "/hooks")
                .then().statusCode(200).extract().path("values");
        return hooks.stream().filter(hook -> webhookUrl.equals(hook.get("url"))).toList();
    }

    private static String cloudBase() {
        return BitbucketFakesResource.cloud().baseUri().toString();
    }

    private static Map<String, Object> cloudApiToken(String name, String token) {
        return Map.of("kind", "BITBUCKET_CLOUD_API_TOKEN", "name", name, "email", BitbucketCloudFake.SANDBOX_EMAIL,
                "token", token, "apiBaseUrl", cloudBase());
    }

    // ---- requests -------------------------------------------------------------------------------------

    private static Map<String, Object> server(String name, String token) {
        return server(name, token, BitbucketFakesResource.server().baseUrl());
    }

    private static Map<String, Object> server(String name, String token, String baseUrl) {
        return Map.of("kind", "BITBUCKET_SERVER_TOKEN", "name", name, "baseUrl", baseUrl, "username", "sandbox", "token", token);
    }

    /** The secret of the credential's hooks for {@code scope}, as an admin reads it for a hook set up by hand. */
    private static String webhookSecret(String id, String scope) {
        String secret = admin().queryParam("scope", scope).get("/api/credentials/" + id + "/webhook-secret").then().statusCode(200)
                .body("scope", equalTo(scope.toLowerCase(java.util.Locale.ROOT))).extract().path("secret");
        SECRETS.add(secret);
        return secret;
    }

    /** The credential's root secret, which only the gateway reads (internal API). */
    private static String rootSecret(String id) {
        String root = gateway().get("/internal/credentials/" + id + "/webhook-secrets").then().statusCode(200).extract().path("current");
        SECRETS.add(root);
        return root;
    }

    /** The hooks on the Server fake's OPS/platform that deliver to this webhook URL. */
    private static List<Map<String, Object>> serverHooks(String webhookUrl) {
        List<Map<String, Object>> hooks = given().auth().oauth2(BitbucketServerFake.SANDBOX_TOKEN)
                .get(BitbucketFakesResource.server().baseUrl() + "/rest/api/1.0/projects/OPS/repos/platform/webhooks")
                .then().statusCode(200).extract().path("values");
        return hooks.stream().filter(hook -> webhookUrl.equals(hook.get("url"))).toList();
    }

    static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON);
    }

    static RequestSpecification viewer() {
        return given().auth().oauth2(TestTokens.viewer()).contentType(ContentType.JSON);
    }

    /** The gateway's identity, with its token from the token endpoint: it may read webhook secrets. */
    static RequestSpecification gateway() {
        return given().auth().oauth2(TestTokens.ofService("webhook-gateway")).contentType(ContentType.JSON);
    }

    /** scraper-service's identity: it may read authorizations. */
    static RequestSpecification scraper() {
        return given().auth().oauth2(TestTokens.ofService("scraper-service")).contentType(ContentType.JSON);
    }

    /**
     * What every Bitbridge service promises ({@link ServiceContractTests}), checked on this class's running service
     * rather than on one started for a class of its own.
     */
    @Nested
    class ServiceContract extends ServiceContractTests {
    }
}
