package io.bitbridge.credentials;

import io.bitbridge.credentials.support.BitbucketFakesResource;
import io.bitbridge.credentials.support.LogCapture;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Topics;
import io.bitbridge.testkit.Awaiting;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.fakes.server.BitbucketServerFake;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * credential-service end to end against the Bitbucket fakes, real PostgreSQL and Kafka. One class so Quarkus starts
 * once; the last test searches everything logged meanwhile for every secret the earlier tests used.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BitbucketFakesResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CredentialServiceFlowsTest {
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static LogCapture logs;

    @BeforeAll
    static void captureLogs() {
        logs = LogCapture.install();
        SECRETS.add(BitbucketServerFake.SANDBOX_TOKEN);
    }

    @AfterAll
    static void stopCapturing() {
        logs.uninstall();
    }

    // ---- access control ---------------------------------------------------------------------------------

    private record Endpoint(String method, String path, String role) {
    }

    @Test
    @Order(1)
    void everyEndpointAnswers401WithoutAValidTokenAnd403ForAnotherRole() {
        String id = UUID.randomUUID().toString();
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
                new Endpoint("GET", "/internal/credentials/" + id + "/webhook-secrets", "service"),
                new Endpoint("POST", "/internal/credentials/" + id + "/authorization", "service"),
                new Endpoint("GET", "/oauth/bitbucket-cloud/authorize?name=x", "admin"));
        for (Endpoint endpoint : endpoints) {
            call(given(), endpoint).then().statusCode(401).contentType("application/problem+json");
            call(given().auth().oauth2(TestTokens.forged(endpoint.role())), endpoint).then().statusCode(401);
            for (String other : List.of("admin", "viewer", "service", "guest")) {
                boolean allowed = other.equals(endpoint.role()) || (other.equals("admin") && endpoint.role().equals("viewer"));
                if (!allowed) {
                    call(given().auth().oauth2(TestTokens.forRole(other)), endpoint).then()
                            .statusCode(403).contentType("application/problem+json");
                }
            }
        }
        // the role that may call it gets past security (404: the credential does not exist)
        admin().get("/api/credentials/" + id).then().statusCode(404).body("type", containsString("credential-not-found"));
        service().get("/internal/credentials/" + id + "/webhook-secrets").then().statusCode(404);
    }

    private static io.restassured.response.Response call(RequestSpecification request, Endpoint endpoint) {
        return request.urlEncodingEnabled(false).contentType(ContentType.JSON).body("{}").request(endpoint.method(), endpoint.path());
    }

    // ---- Bitbucket Server ------------------------------------------------------------------------------

    private static String serverId;

    @Test
    @Order(10)
    void aServerTokenIsCheckedWithBitbucketBeforeItIsSaved() {
        admin().body(server("ops-wrong", "not-the-token")).post("/api/credentials").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://bitbridge.io/problems/bitbucket-rejected"))
                .body("detail", containsString("Authentication failed"));
        admin().get("/api/credentials").then().statusCode(200).body("name", org.hamcrest.Matchers.not(hasItem("ops-wrong")));

        serverId = admin().body(server("ops", BitbucketServerFake.SANDBOX_TOKEN)).post("/api/credentials").then()
                .statusCode(201)
                .body("kind", equalTo("BITBUCKET_SERVER_TOKEN"))
                .body("provider", equalTo("BITBUCKET_SERVER"))
                .body("status", equalTo("UP"))
                .body("account.username", equalTo("sandbox"))
                .body("secretHint", equalTo("…oken"))
                .body("deprecated", equalTo(false))
                .body("tls.customCa", equalTo(false))
                .extract().path("id");
        viewer().get("/api/credentials/" + serverId).then().statusCode(200)
                .body("webhookUrl", equalTo(BitbucketFakesResource.PUBLIC_BASE_URL + "/webhooks/bitbucket-server/" + serverId))
                .body(org.hamcrest.Matchers.not(containsString(BitbucketServerFake.SANDBOX_TOKEN)));
        admin().body(server("OPS", BitbucketServerFake.SANDBOX_TOKEN)).post("/api/credentials").then().statusCode(409);
        admin().body(Map.of("kind", "BITBUCKET_SERVER_TOKEN", "name", "x")).post("/api/credentials").then().statusCode(400)
                .body("detail", containsString("baseUrl"));
        admin().body("{\"kind\":").post("/api/credentials").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    @Order(11)
    void theInternalApiHandsOutAReadyAuthorization() {
        service().post("/internal/credentials/" + serverId + "/authorization").then().statusCode(200)
                .body("authorization", equalTo("Bearer " + BitbucketServerFake.SANDBOX_TOKEN))
                .body("apiBaseUrl", equalTo(BitbucketFakesResource.server().baseUrl()))
                .body("gitUsername", equalTo("sandbox"))
                .body("provider", equalTo("BITBUCKET_SERVER"));
    }

    @Test
    @Order(12)
    void registeringTheSameServerWebhookTwiceLeavesOneHook() {
        admin().put("/api/credentials/" + serverId + "/webhooks/OPS/platform").then().statusCode(200)
                .body("outcome", equalTo("CREATED")).body("hookId", notNullValue());
        admin().put("/api/credentials/" + serverId + "/webhooks/OPS/platform").then().statusCode(200)
                .body("outcome", equalTo("UNCHANGED"));
        List<Map<String, Object>> hooks = serverHooks();
        assertEquals(1, hooks.size(), "one hook, never a second: " + hooks);
        String secret = webhookSecret(serverId);
        assertEquals(secret, ((Map<?, ?>) hooks.get(0).get("configuration")).get("secret"));
        assertTrue(((List<?>) hooks.get(0).get("events")).containsAll(List.of("repo:refs_changed", "pr:opened", "pr:merged")));
    }

    @Test
    @Order(13)
    void rotationKeepsThePreviousSecretValidForTheOverlapThenDropsIt() throws SQLException {
        String before = webhookSecret(serverId);
        Instant rotatedAt = Instant.now();
        admin().urlEncodingEnabled(false).post("/api/credentials/" + serverId + "/webhook-secret:rotate").then().statusCode(200)
                .body("hooks[0].outcome", equalTo("UPDATED"));
        String after = webhookSecret(serverId);
        assertNotEquals(before, after);
        assertEquals(after, ((Map<?, ?>) serverHooks().get(0).get("configuration")).get("secret"), "every registered hook got the new secret");

        var secrets = service().get("/internal/credentials/" + serverId + "/webhook-secrets").then().statusCode(200)
                .body("current", equalTo(after))
                .body("previous", equalTo(before))
                .body("acceptUnsignedWithToken", equalTo(false))
                .body("provider", equalTo("BITBUCKET_SERVER"))
                .extract().jsonPath();
        Instant validUntil = Instant.parse(secrets.getString("previousValidUntil"));
        // the configured overlap (1 h by default) from the moment of rotation
        assertFalse(validUntil.isBefore(rotatedAt.plus(Duration.ofMinutes(59))), String.valueOf(validUntil));
        assertTrue(validUntil.isBefore(Instant.now().plus(Duration.ofMinutes(61))), String.valueOf(validUntil));

        // the overlap ends: the previous secret is no longer handed out
        try (Connection db = TestInfra.jdbc()) {
            db.createStatement().executeUpdate("update credential set previous_webhook_valid_until = now() - interval '1 second' where id = '"
                    + serverId + "'");
        }
        service().get("/internal/credentials/" + serverId + "/webhook-secrets").then().statusCode(200)
                .body("current", equalTo(after)).body("previous", nullValue()).body("previousValidUntil", nullValue());
        admin().put("/api/credentials/" + serverId + "/webhooks/OPS/platform").then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
    }

    @Test
    @Order(14)
    void acceptingUnsignedDeliveriesIsAnAdminSettingTheGatewaySees() {
        admin().body(Map.of("enabled", true)).put("/api/credentials/" + serverId + "/accept-unsigned-with-token").then()
                .statusCode(200).body("acceptUnsignedWithToken", equalTo(true));
        service().get("/internal/credentials/" + serverId + "/webhook-secrets").then().body("acceptUnsignedWithToken", equalTo(true));
        admin().body(Map.of()).put("/api/credentials/" + serverId + "/accept-unsigned-with-token").then().statusCode(400);
    }

    @Test
    @Order(15)
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
        service().post("/internal/credentials/" + id + "/authorization").then().statusCode(200)
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

    @Test
    @Order(16)
    void theRawTableHoldsNoSecretInClear() throws SQLException {
        SECRETS.add(webhookSecret(serverId));
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
    @Order(17)
    void deletingACredentialRemovesItsWebhooksFromBitbucket() {
        assertEquals(1, serverHooks().size());
        admin().delete("/api/credentials/" + serverId).then().statusCode(204);
        assertEquals(0, serverHooks().size());
        viewer().get("/api/credentials/" + serverId).then().statusCode(404);
        service().get("/internal/credentials/" + serverId + "/webhook-secrets").then().statusCode(404);
    }

    // ---- events and logs --------------------------------------------------------------------------------

    @Test
    @Order(90)
    void lifecycleEventsAreKeyedByCredentialIdAndCarryNoSecret() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TestInfra.topic(Topics.CREDENTIALS_LIFECYCLE)));
            Awaiting.until(Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                assertTrue(records.stream().anyMatch(r -> r.key().equals(serverId) && r.value().contains("\"DELETED\"")),
                        "the server credential's events up to DELETED: " + records.size());
            });
        }
        List<String> serverTypes = records.stream().filter(r -> r.key().equals(serverId))
                .map(r -> r.value().replaceAll(".*\"type\":\"([A-Z_]+)\".*", "$1")).toList();
        assertEquals(List.of("CREATED", "WEBHOOK_SECRET_ROTATED", "UPDATED", "DELETED"), serverTypes);
        for (ConsumerRecord<String, String> record : records) {
            assertTrue(record.value().contains("\"credentialId\":\"" + record.key() + "\""));
            assertEquals("io.bitbridge.credentials.lifecycle.v1",
                    new String(record.headers().lastHeader(CloudEventHeaders.TYPE).value()));
            for (String secret : SECRETS) {
                assertFalse(record.value().contains(secret), "a secret in an event");
            }
        }
    }

    @Test
    @Order(99)
    void noSecretWasEverLogged() {
        List<String> lines = logs.lines();
        assertFalse(lines.isEmpty(), "the capture saw the service's logs");
        for (String secret : SECRETS) {
            for (String line : lines) {
                assertFalse(line.contains(secret), "a secret in the log: " + line.replace(secret, "<SECRET>"));
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static Map<String, Object> server(String name, String token) {
        return server(name, token, BitbucketFakesResource.server().baseUrl());
    }

    private static Map<String, Object> server(String name, String token, String baseUrl) {
        return Map.of("kind", "BITBUCKET_SERVER_TOKEN", "name", name, "baseUrl", baseUrl, "username", "sandbox", "token", token);
    }

    private static String webhookSecret(String id) {
        String secret = admin().get("/api/credentials/" + id + "/webhook-secret").then().statusCode(200).extract().path("secret");
        SECRETS.add(secret);
        return secret;
    }

    private static List<Map<String, Object>> serverHooks() {
        return given().auth().oauth2(BitbucketServerFake.SANDBOX_TOKEN)
                .get(BitbucketFakesResource.server().baseUrl() + "/rest/api/1.0/projects/OPS/repos/platform/webhooks")
                .then().statusCode(200).extract().path("values");
    }

    static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON);
    }

    static RequestSpecification viewer() {
        return given().auth().oauth2(TestTokens.viewer()).contentType(ContentType.JSON);
    }

    static RequestSpecification service() {
        return given().auth().oauth2(TestTokens.service()).contentType(ContentType.JSON);
    }

}
