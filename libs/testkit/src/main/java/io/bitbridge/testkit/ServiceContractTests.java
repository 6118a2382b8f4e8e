package io.bitbridge.testkit;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.util.TypeLiteral;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every Bitbridge service promises, written once: a service's test class extends this and adds
 * {@code @QuarkusTest} and the test resource; nothing else. Or a {@code @Nested} class of a service's {@code @QuarkusTest}
 * class extends it, and the checks run on that class's service (no start of its own; the outer class then has no
 * {@code @BeforeEach}, which Quarkus cannot run for a nested instance). The beans are looked up when used, as fields of a
 * nested class's superclass are not injected. Health is public and reports Kafka and PostgreSQL;
 * metrics and OpenAPI need a token with a role that may read them; Kafka security settings reach every Kafka client.
 */
public abstract class ServiceContractTests {

    private static String serviceName() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
    }

    @Test
    void healthIsPublicAndCoversKafkaAndPostgres() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Kafka connection health check", "Reactive PostgreSQL connections health check"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsNeedATokenWithAReadingRole() {
        given().get("/q/metrics").then().statusCode(401);
        given().auth().oauth2(TestTokens.forRole("guest")).get("/q/metrics").then().statusCode(403);
        given().auth().oauth2(TestTokens.forged("viewer")).get("/q/metrics").then().statusCode(401);
        given().auth().oauth2(TestTokens.viewer()).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        given().auth().oauth2(TestTokens.admin()).get("/q/metrics").then().statusCode(200);
        given().auth().oauth2(TestTokens.ofService(serviceName())).get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aTokenMadeForAnotherAudienceIsRefused() {
        given().auth().oauth2(TestTokens.forAudience("viewer", "another-system")).get("/q/metrics").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void openApiNeedsATokenAndNamesTheService() {
        given().get("/q/openapi").then().statusCode(401);
        given().auth().oauth2(TestTokens.forRole("guest")).get("/q/openapi").then().statusCode(403);
        given().auth().oauth2(TestTokens.viewer()).accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo(serviceName()));
    }

    /**
     * The service's {@code kafka.*} settings (here the SASL ones {@link BitbridgeTestResource} sets) reach every consumer
     * and producer of its channels, and the defaults that Quarkus's admin client and the service's
     * {@code EventPublisher} producer (which also writes dead letters) are built from.
     */
    @Test
    void kafkaSecuritySettingsReachEveryKafkaClient() {
        KafkaClientService kafkaClients = CDI.current().select(KafkaClientService.class).get();
        Map<String, Object> kafkaDefaults = CDI.current().select(new TypeLiteral<Map<String, Object>>() { },
                Identifier.Literal.of("default-kafka-broker")).get();
        Map<String, String> expected = Map.of("sasl.mechanism", BitbridgeTestResource.KAFKA_SASL_MECHANISM,
                "sasl.jaas.config", BitbridgeTestResource.KAFKA_SASL_JAAS_CONFIG);
        expected.forEach((name, value) -> assertEquals(value, String.valueOf(kafkaDefaults.get(name)), "defaults: " + name));
        for (String channel : kafkaClients.getConsumerChannels()) {
            for (var consumer : kafkaClients.getConsumers(channel)) {
                expected.forEach((name, value) -> assertEquals(value, String.valueOf(consumer.configuration().get(name)),
                        "consumer of " + channel + ": " + name));
            }
        }
        for (String channel : kafkaClients.getProducerChannels()) {
            Map<String, ?> producer = kafkaClients.getProducer(channel).configuration();
            expected.forEach((name, value) -> assertEquals(value, String.valueOf(producer.get(name)), "producer of " + channel + ": " + name));
        }
    }
}
