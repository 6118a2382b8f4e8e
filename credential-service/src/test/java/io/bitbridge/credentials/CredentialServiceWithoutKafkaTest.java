package io.bitbridge.credentials;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentials.support.BitbucketFakesResource;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.bitbridge.credentials.CredentialServiceFlowsTest.admin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * credential-service while Kafka cannot be reached (its bootstrap address is a port nothing listens on): admin changes are
 * answered at once, and their events wait in the outbox for Kafka.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BitbucketFakesResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = CredentialServiceWithoutKafkaTest.KafkaAway.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CredentialServiceWithoutKafkaTest {

    /** Started after {@link BitbridgeTestResource} (a higher order), so its Kafka address is the one used. */
    public static class KafkaAway implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                // a long delivery timeout: a publish that the answer waited for would show plainly
                return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + probe.getLocalPort(), "kafka.delivery.timeout.ms", "20000");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }

        @Override
        public int order() {
            return 1;
        }
    }

    @Inject
    EventPublisher publisher;

    @Test
    void adminChangesAreAnsweredAtOnceAndTheirEventsWaitInTheOutbox() {
        String id = admin().body(Map.of("kind", "BITBUCKET_SERVER_TOKEN", "name", "kafka-away-" + UUID.randomUUID(),
                        "baseUrl", BitbucketFakesResource.server().baseUrl(), "username", "sandbox", "token", BitbucketServerFake.SANDBOX_TOKEN))
                .post("/api/credentials").then().statusCode(201).extract().path("id");
        // a producer waiting for Kafka takes up to half the delivery timeout before it even fails
        Duration limit = publisher.deliveryTimeout().dividedBy(4);
        for (boolean enabled : List.of(true, false)) {
            long start = System.nanoTime();
            admin().body(Map.of("enabled", enabled)).put("/api/credentials/" + id + "/accept-unsigned-with-token").then().statusCode(200);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(limit) < 0, "answered in " + took + ", not within " + limit);
        }
        // created, enabled, disabled: all kept, none lost, none published
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> pendingEvents() == 3);
    }

    private static long pendingEvents() throws SQLException {
        try (Connection db = TestInfra.jdbc(); ResultSet left = db.createStatement().executeQuery("select count(*) from outbox_event")) {
            left.next();
            return left.getLong(1);
        }
    }
}
