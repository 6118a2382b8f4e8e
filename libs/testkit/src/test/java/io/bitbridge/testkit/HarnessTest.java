package io.bitbridge.testkit;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness itself: tokens, PostgreSQL in the class's schema, the launched broker.
 * <p>
 * One application start serves {@link HarnessTest}, {@link KeyOrderedConsumingTest} and {@link MessagingTest}
 * ({@code MATCHING_RESOURCES}): each works with its own topics, keys and event ids, so none sees another's records,
 * and the three pay for one start instead of three. {@link IsolationTest} keeps a start of its own.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HarnessTest {
    @jakarta.inject.Inject
    io.bitbridge.common.auth.ServiceTokens serviceTokens;

    @Test
    void serviceTokensComeFromTheTokenEndpointAsTheServicesOwnIdentity() {
        String header = serviceTokens.authorizationHeader();
        assertTrue(header.startsWith("Bearer "));
        String claims = new String(java.util.Base64.getUrlDecoder().decode(header.substring(7).split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"sub\":\"testkit-probe\""), claims);
        assertTrue(claims.contains("\"aud\":\"bitbridge\""), claims);
        assertTrue(TestTokens.grants(header, io.bitbridge.common.auth.Roles.SERVICE));
        assertEquals(header, serviceTokens.authorizationHeader(), "cached until shortly before expiry");
        given().header("Authorization", header).get("/q/metrics").then().statusCode(200);
        given().header("Authorization", header).contentType(ContentType.TEXT).body("x").post("/probe/notes").then().statusCode(403);
    }

    @Test
    void theAsyncApiDocumentOfTheTopicsIsServedToViewersOnly() {
        given().auth().oauth2(TestTokens.viewer()).get("/asyncapi.yaml").then().statusCode(200)
                .body(org.hamcrest.Matchers.startsWith("asyncapi: 3.0.0"))
                .body(org.hamcrest.Matchers.containsString("address: bitbucket.push.v1"));
        given().get("/asyncapi.yaml").then().statusCode(401);
    }

    @Test
    void panacheWritesAndReadsTheRealPostgresInTheClassSchema() throws Exception {
        long id = given().auth().oauth2(TestTokens.admin()).contentType("text/plain; charset=UTF-8").body("héllo postgres")
                .post("/probe/notes").then().statusCode(200).extract().as(Long.class);

        given().auth().oauth2(TestTokens.viewer()).get("/probe/notes/" + id)
                .then().statusCode(200).body(equalTo("héllo postgres"));

        try (Connection c = TestInfra.jdbc(); ResultSet rs = c.createStatement().executeQuery("select text from probe_note where id = " + id)) {
            assertTrue(rs.next(), "row is in schema " + TestInfra.schema());
            assertEquals("héllo postgres", rs.getString(1));
        }
    }

    @Test
    void kafkaRoundTripThroughTheLaunchedBroker() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.TEXT).body("ping-1")
                .post("/probe/messages").then().statusCode(204);

        // a plain client sees the record on the class's own topic ...
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "harness-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TestInfra.topic("testkit.probe")));
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
        }
        assertEquals(List.of("ping-1"), values);

        // ... and the service's own consumer received it too
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> given().auth().oauth2(TestTokens.viewer()).get("/probe/messages")
                .then().statusCode(200).body("$", hasItem("ping-1")));
    }

    @Test
    void noTokenIs401ProblemAndWrongRoleIs403() {
        given().contentType(ContentType.TEXT).body("x").post("/probe/notes")
                .then().statusCode(401).contentType("application/problem+json").body("type", equalTo("https://bitbridge.io/problems/unauthorized"));
        given().auth().oauth2(TestTokens.viewer()).contentType(ContentType.TEXT).body("x").post("/probe/notes")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.forged("admin")).contentType(ContentType.TEXT).body("x").post("/probe/notes")
                .then().statusCode(401);
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
