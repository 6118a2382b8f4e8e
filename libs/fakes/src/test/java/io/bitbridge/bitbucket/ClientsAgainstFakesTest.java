package io.bitbridge.bitbucket;

import io.bitbridge.bitbucket.cloud.CloudWebhookEvents;
import io.bitbridge.bitbucket.server.ServerWebhookEvents;
import io.bitbridge.callguard.CallPolicy;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.callguard.FailureKinds;
import io.bitbridge.events.Provider;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.bitbridge.testkit.contract.BitbucketContracts;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.RecordedRequest;
import io.bitbridge.testkit.contract.ContractValidator;
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.fakes.server.BitbucketServerFake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both clients against the faithful fakes: who-am-I, create-or-update hooks, deletion, errors and retries. */
class ClientsAgainstFakesTest {
    /** The fakes listen on loopback over plain http. */
    private static final BaseUrlPolicy LOOPBACK = BaseUrlPolicy.allowing("127.0.0.1", "localhost");
    private static BitbucketCloudFake cloud;
    private static BitbucketServerFake server;

    @BeforeAll
    static void startFakes() {
        cloud = BitbucketCloudFake.sandbox();
        server = BitbucketServerFake.sandbox(0);
    }

    /**
     * Every request our clients sent this test (method, path, query, headers, body), as the fakes recorded it,
     * against Atlassian's OpenAPI documents: one the document rejects fails the test with the validator's message.
     */
    @AfterEach
    void everySentRequestMatchesTheSpec() {
        List<String> problems = new ArrayList<>(BitbucketContracts.cloud().validateRequests(sent(cloud.requests().all())));
        problems.addAll(BitbucketContracts.server().validateRequests(sent(server.http().requests().all())));
        cloud.requests().clear();
        server.http().requests().clear();
        assertEquals(List.of(), problems, "requests our clients sent that Atlassian's OpenAPI documents reject");
    }

    private static List<ContractValidator.Sent> sent(List<RecordedRequest> received) {
        return received.stream().map(RecordedRequest::request).map(request -> new ContractValidator.Sent(request.method(),
                request.rawPath(), request.rawQuery(), request.headers(), request.bodyText())).toList();
    }

    @AfterAll
    static void stopFakes() {
        cloud.close();
        server.close();
    }

    private static BitbucketClient cloudClient(String token) {
        String basic = Base64.getEncoder().encodeToString((BitbucketCloudFake.SANDBOX_EMAIL + ":" + token).getBytes(StandardCharsets.UTF_8));
        return BitbucketClient.of(Provider.BITBUCKET_CLOUD, new BitbucketEndpoint(cloud.baseUri(), "Basic " + basic, null, false, LOOPBACK));
    }

    private static BitbucketClient serverClient(String token) {
        return BitbucketClient.of(Provider.BITBUCKET_SERVER, new BitbucketEndpoint(URI.create(server.baseUrl()), "Bearer " + token, null, false, LOOPBACK));
    }

    @Test
    void cloudHooksAreCreatedOnceThenOnlyFixedWhereTheyDiffer() {
        BitbucketClient client = cloudClient(BitbucketCloudFake.SANDBOX_API_TOKEN);
        assertEquals("sandbox", client.currentAccount(Optional.empty()).username());
        WebhookSpec spec = new WebhookSpec("https://bitbridge.example.com/webhooks/bitbucket-cloud/1", "Bitbridge", "s3cret", CloudWebhookEvents.KEYS.registered());
        WebhookRegistration created = client.ensureWebhook("acme", "game", spec, false);
        assertEquals(WebhookRegistration.Outcome.CREATED, created.outcome());
        assertTrue(created.hookId().startsWith("{"), created.hookId());
        assertEquals(new WebhookRegistration(created.hookId(), WebhookRegistration.Outcome.UNCHANGED), client.ensureWebhook("acme", "game", spec, false));
        WebhookSpec fewerEvents = new WebhookSpec(spec.url(), "Bitbridge", "s3cret", Set.of("repo:push"));
        assertEquals(WebhookRegistration.Outcome.UPDATED, client.ensureWebhook("acme", "game", fewerEvents, false).outcome());
        assertEquals(WebhookRegistration.Outcome.UPDATED, client.ensureWebhook("acme", "game", fewerEvents, true).outcome(), "a new secret is sent");
        assertTrue(client.deleteWebhook("acme", "game", spec.url()));
        assertFalse(client.deleteWebhook("acme", "game", spec.url()));
    }

    @Test
    void serverHooksAreCreatedOnceAndASecretChangeIsSeen() {
        BitbucketClient client = serverClient(BitbucketServerFake.SANDBOX_TOKEN);
        BitbucketAccount account = client.currentAccount(Optional.of("sandbox"));
        assertEquals("sandbox", account.username());
        assertEquals("sandbox", client.currentAccount(Optional.empty()).username(), "from X-AUSERNAME");
        WebhookSpec spec = new WebhookSpec("https://bitbridge.example.com/webhooks/bitbucket-server/1", "Bitbridge", "one", ServerWebhookEvents.KEYS.registered());
        assertEquals(WebhookRegistration.Outcome.CREATED, client.ensureWebhook("OPS", "platform", spec, false).outcome());
        assertEquals(WebhookRegistration.Outcome.UNCHANGED, client.ensureWebhook("OPS", "platform", spec, false).outcome());
        WebhookSpec rotated = new WebhookSpec(spec.url(), "Bitbridge", "two", spec.events());
        assertEquals(WebhookRegistration.Outcome.UPDATED, client.ensureWebhook("OPS", "platform", rotated, false).outcome(),
                "Server echoes configuration.secret, so a different secret is noticed");
        assertTrue(client.deleteWebhook("OPS", "platform", spec.url()));
    }

    @Test
    void aWrongSecretIsA401WithBitbucketsReason() {
        BitbucketApiException cloudRefusal = assertThrows(BitbucketApiException.class, () -> cloudClient("wrong").currentAccount(Optional.empty()));
        assertEquals(401, cloudRefusal.status());
        BitbucketApiException serverRefusal = assertThrows(BitbucketApiException.class, () -> serverClient("wrong").currentAccount(Optional.empty()));
        assertEquals(401, serverRefusal.status());
        assertTrue(serverRefusal.reason().contains("Authentication failed"), serverRefusal.reason());
    }

    @Test
    void readsAreRetriedAfter5xxAndRateLimitsButCreatesAreNot() {
        BitbucketClient client = serverClient(BitbucketServerFake.SANDBOX_TOKEN);
        server.http().faults().arm(Fault.status(503, 2).onPath("/rest/api/1.0/users"));
        assertEquals("sandbox", client.currentAccount(Optional.of("sandbox")).username(), "two 503s, then the answer");
        assertTrue(server.http().faults().armed().isEmpty(), "both faults were hit");
        cloud.faults().arm(Fault.rateLimited(1).onPath("/2.0/user"));
        assertEquals("sandbox", cloudClient(BitbucketCloudFake.SANDBOX_API_TOKEN).currentAccount(Optional.empty()).username());
        assertTrue(cloud.faults().armed().isEmpty(), "the 429 was hit");

        server.http().faults().arm(Fault.status(503, 1).onPath("/rest/api/1.0/projects/OPS/repos/platform/webhooks"));
        WebhookSpec spec = new WebhookSpec("https://bitbridge.example.com/webhooks/bitbucket-server/2", "Bitbridge", "x", ServerWebhookEvents.KEYS.registered());
        // the 503 hits the listing (a GET, retried); the create then succeeds once
        assertEquals(WebhookRegistration.Outcome.CREATED, client.ensureWebhook("OPS", "platform", spec, false).outcome());
        assertTrue(server.http().faults().armed().isEmpty());
        assertTrue(client.deleteWebhook("OPS", "platform", spec.url()));

        server.http().faults().arm(Fault.status(503, 1).onPath("/rest/api/1.0/projects/OPS/repos/platform/webhooks"));
        BitbucketApiException refused = assertThrows(BitbucketApiException.class,
                () -> new BitbucketHttp(new BitbucketEndpoint(URI.create(server.baseUrl()), "Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null, false, LOOPBACK))
                        .post("/rest/api/1.0/projects/OPS/repos/platform/webhooks", java.util.Map.of("name", "n", "url", "https://x.example.com", "events", java.util.List.of("repo:refs_changed"))));
        assertEquals(503, refused.status(), "a POST is never repeated");
    }

    @Test
    void anUnreachableHostIsReportedWithoutTheAuthorization() {
        BitbucketClient client = BitbucketClient.of(Provider.BITBUCKET_SERVER,
                new BitbucketEndpoint(URI.create("http://127.0.0.1:1"), "Bearer do-not-leak", null, false, LOOPBACK));
        BitbucketUnreachableException failure = assertThrows(BitbucketUnreachableException.class, () -> client.currentAccount(Optional.empty()));
        assertFalse(failure.getMessage().contains("do-not-leak"));
        assertTrue(failure.getMessage().contains("127.0.0.1:1"), failure.getMessage());
    }

    @Test
    void theSpecCheckRejectsARequestBitbucketWouldNot() {
        ContractValidator.Sent eventsAsText = new ContractValidator.Sent("POST", "/rest/api/1.0/projects/OPS/repos/platform/webhooks", null,
                Map.of("Authorization", List.of("Bearer t"), "Content-Type", List.of("application/json")),
                "{\"name\":\"n\",\"url\":\"https://x.example.com\",\"events\":\"repo:refs_changed\"}");
        List<String> problems = BitbucketContracts.server().validateRequest(eventsAsText);
        assertTrue(problems.stream().anyMatch(p -> p.contains("validation.request.body.schema.type")), problems.toString());
        ContractValidator.Sent unknownOperation = new ContractValidator.Sent("GET", "/2.0/repositories/acme/game/hookz", null,
                Map.of("Authorization", List.of("Bearer t")), null);
        List<String> cloudProblems = BitbucketContracts.cloud().validateRequest(unknownOperation);
        assertTrue(cloudProblems.stream().anyMatch(p -> p.contains("validation.request.path.missing")), cloudProblems.toString());
    }

    @Test
    void everyAttemptPassesTheEndpointsBreakerAndAnOpenCircuitIsNeitherSentNorRetried() {
        List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        EndpointGuards guards = BitbucketCalls.guards(CallPolicy.defaults().withBreaker(new CallPolicy.Breaker(2, 0.5, Duration.ofSeconds(30), 1)),
                new EndpointGuards.Listener() {
                    @Override
                    public void stateChanged(String endpoint, CircuitBreakerState state) {
                        changes.add(endpoint + " " + state);
                    }
                });
        BitbucketEndpoint endpoint = new BitbucketEndpoint(URI.create(server.baseUrl()), "Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null, false, LOOPBACK);
        BitbucketClient client = BitbucketClient.of(Provider.BITBUCKET_SERVER, endpoint, guards);
        server.http().faults().arm(Fault.status(503, 20).onPath("/rest/api/1.0/repos"));
        BitbucketCircuitOpenException opened = assertThrows(BitbucketCircuitOpenException.class, () -> client.currentAccount(Optional.empty()));
        assertEquals(2, server.http().requests().all().size(), "two 503 attempts filled the window of two; the retry after them met the open breaker");
        assertEquals(List.of(endpoint.origin() + " OPEN"), changes, "keyed by scheme://host:port");
        assertTrue(opened.retryAfter().toSeconds() >= 1);

        server.http().requests().clear();
        BitbucketCircuitOpenException refused = assertThrows(BitbucketCircuitOpenException.class, () -> client.currentAccount(Optional.empty()));
        assertTrue(server.http().requests().all().isEmpty(), "nothing reached Bitbucket");
        assertTrue(refused.getMessage().contains(endpoint.origin()), refused.getMessage());
        assertEquals(CircuitBreakerState.CLOSED, guards.state(cloud.baseUri().getScheme() + "://" + cloud.baseUri().getRawAuthority()),
                "the other endpoint never failed");
        server.http().faults().clear();
    }

    @Test
    void onlyOutagesCountAgainstAnEndpoint() {
        FailureKinds kinds = BitbucketCalls.FAILURES;
        for (int status : new int[]{429, 500, 502, 503, 504}) {
            assertTrue(kinds.transientFailure(new BitbucketApiException(status, "x")), "status " + status);
        }
        for (int status : new int[]{400, 401, 403, 404, 409, 422}) {
            assertFalse(kinds.transientFailure(new BitbucketApiException(status, "x")), "status " + status);
        }
        assertTrue(kinds.transientFailure(new BitbucketUnreachableException("reset", new java.net.SocketException("Connection reset"))));
        assertTrue(kinds.transientFailure(new BitbucketUnreachableException("timeout", new java.net.http.HttpTimeoutException("timed out"))));
        assertFalse(kinds.transientFailure(new BitbucketUnreachableException("trust", new javax.net.ssl.SSLHandshakeException("PKIX"))),
                "one credential's CA setting says nothing about the endpoint");
        assertFalse(kinds.transientFailure(new BitbucketCircuitOpenException(new io.bitbridge.callguard.CircuitOpenException("Bitbucket", "http://h", Duration.ofSeconds(1), null))));
        assertFalse(kinds.transientFailure(new IllegalStateException("a bug of ours")));
        assertEquals(Optional.of(Duration.ofSeconds(3)), kinds.retryAfter(new BitbucketApiException(429, "slow down", Duration.ofSeconds(3), null)));
    }

    @Test
    void theCloudBaseUrlIsAcceptedAsAtlassianWritesItWithOrWithoutVersionAndSlash() {
        String basic = Base64.getEncoder().encodeToString((BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        String root = cloud.baseUri().toString().replaceAll("/+$", "");
        for (String base : List.of(root, root + "/", root + "/2.0", root + "/2.0/")) {
            BitbucketClient client = BitbucketClient.of(Provider.BITBUCKET_CLOUD, new BitbucketEndpoint(URI.create(base), "Basic " + basic, null, false, LOOPBACK));
            assertEquals("sandbox", client.currentAccount(Optional.empty()).username(), base);
        }
        assertTrue(cloud.requests().all().stream().allMatch(r -> r.path().equals("/2.0/user")), "never /2.0/2.0");

        BitbucketClient wrong = BitbucketClient.of(Provider.BITBUCKET_CLOUD, new BitbucketEndpoint(URI.create(root + "/bitbucket"), "Basic " + basic, null, false, LOOPBACK));
        BitbucketApiException notFound = assertThrows(BitbucketApiException.class, () -> wrong.currentAccount(Optional.empty()));
        assertEquals(404, notFound.status());
        assertTrue(notFound.getMessage().contains("GET " + root + "/bitbucket/2.0/user"), "names the URL called: " + notFound.getMessage());
        assertTrue(notFound.getMessage().contains("https://api.bitbucket.org (or https://api.bitbucket.org/2.0)"), notFound.getMessage());
        cloud.requests().clear(); // the wrong path was sent on purpose: no operation of the spec
    }

    @Test
    void aCaBundleMustHoldCertificates() {
        assertThrows(IllegalArgumentException.class, () -> Tls.certificates("no pem here"));
        assertThrows(IllegalArgumentException.class, () -> Tls.certificates(""));
    }
}
