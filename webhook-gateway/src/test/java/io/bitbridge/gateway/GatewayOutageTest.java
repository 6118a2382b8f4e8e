package io.bitbridge.gateway;

import io.bitbridge.events.Provider;
import io.bitbridge.gateway.support.FakeCredentialService;
import io.bitbridge.gateway.support.Payloads;
import io.bitbridge.gateway.support.Webhooks;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies down. The gateway's Kafka clients point at a port where no broker listens (the shared test broker
 * keeps serving the other test classes); credential-service is the in-test fake, failing or stopped in the last case.
 * Either way Bitbucket must get a 503 with Retry-After before its own 10 s timeout, never a 2xx.
 */
@QuarkusTest
@TestProfile(GatewayOutageTest.KafkaUnreachable.class)
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FakeCredentialService.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class GatewayOutageTest {
    private static final String SECRET = "outage-secret";
    private static final Duration BITBUCKET_TIMEOUT = Duration.ofSeconds(10);

    public static class KafkaUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + FreePort.find());
        }
    }

    /**
     * The measured deliveries meet a running gateway: the first request of a fresh JVM (REST client, token, JIT) can
     * take seconds on a busy machine, which is start-up, not the outage path under test.
     */
    @BeforeEach
    void warmUp() {
        Webhooks.deliver(Provider.BITBUCKET_SERVER, UUID.randomUUID().toString(), "repo:refs_changed", "{}", SECRET)
                .then().statusCode(404);
    }

    /** Each case starts from a credential-service that answers at once. */
    @AfterEach
    void restoreCredentialService() {
        FakeCredentialService.get().reset();
    }

    @Test
    void kafkaDownGets503WithRetryAfterWithinBitbucketsTimeout() {
        String credentialId = UUID.randomUUID().toString();
        FakeCredentialService.get().put(credentialId, Provider.BITBUCKET_CLOUD, SECRET);
        long started = System.nanoTime();
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", Payloads.cloudPushOfThreeChanges(), SECRET)
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("10"))
                .body("type", equalTo("https://bitbridge.io/problems/kafka-unavailable"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(BITBUCKET_TIMEOUT) < 0, "answered after " + took);
    }

    /**
     * The worst path: the secrets lookup times out once and answers slowly on its retry (~2.9 s), then no broker
     * answers. The 503 still comes within the answer deadline (8 s), far from Bitbucket's 10 s.
     */
    @Test
    void aSlowCredentialServiceLeavesKafkaOnlyWhatIsLeftOfTheAnswerDeadline() {
        String credentialId = UUID.randomUUID().toString();
        FakeCredentialService.get().put(credentialId, Provider.BITBUCKET_CLOUD, SECRET);
        FakeCredentialService.get().answerAfter(Duration.ofMillis(1_700), Duration.ofMillis(1_200));
        long started = System.nanoTime();
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", Payloads.cloudPushOfThreeChanges(), SECRET)
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("https://bitbridge.io/problems/kafka-unavailable"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(FakeCredentialService.get().calls(credentialId) == 2, "the timed-out lookup was retried once");
        assertTrue(took.compareTo(Duration.ofMillis(9_000)) < 0, "answered after " + took);
    }

    @Test
    void credentialServiceDownAndNothingCachedGets503WithRetryAfter() {
        FakeCredentialService.get().failWith(500);
        String failing = UUID.randomUUID().toString();
        long started = System.nanoTime();
        Webhooks.deliver(Provider.BITBUCKET_SERVER, failing, "repo:refs_changed", "{}", SECRET)
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("10"))
                .body("type", equalTo("https://bitbridge.io/problems/credential-service-unavailable"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(BITBUCKET_TIMEOUT) < 0);
        assertTrue(FakeCredentialService.get().calls(failing) >= 2, "the call was retried");

        FakeCredentialService.get().shutdown();
        started = System.nanoTime();
        Webhooks.deliver(Provider.BITBUCKET_SERVER, UUID.randomUUID().toString(), "repo:refs_changed", "{}", SECRET)
                .then().statusCode(503).header("Retry-After", equalTo("10"))
                .body("type", equalTo("https://bitbridge.io/problems/credential-service-unavailable"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(BITBUCKET_TIMEOUT) < 0);
    }
}
