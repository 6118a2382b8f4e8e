package io.bitbridge.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.bitbucket.webhook.WebhookEventId;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PullRequestAction;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.Topics;
import io.bitbridge.gateway.service.EventKeys;
import io.bitbridge.gateway.service.SignatureVerifier;
import io.bitbridge.gateway.support.FakeCredentialService;
import io.bitbridge.gateway.support.FixtureExpectations;
import io.bitbridge.gateway.support.Fixtures;
import io.bitbridge.gateway.support.Payloads;
import io.bitbridge.gateway.support.SlowSenders;
import io.bitbridge.gateway.support.TopicReader;
import io.bitbridge.gateway.support.Webhooks;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.ServiceContractTests;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway end to end against a real Kafka broker, PostgreSQL and an in-test credential-service:
 * verification, filtering, normalisation and publication of every public fixture, refusals as problem
 * documents, the secrets cache, the deliveries log and metrics.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FakeCredentialService.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class WebhookIntakeTest {
    private static final String SECRET = "s3cret-for-tests";
    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    private static final String PROBLEMS = "https://bitbridge.io/problems/";
    private static TopicReader reader;

    private static TopicReader reader() {
        if (reader == null) {
            reader = new TopicReader(Topics.PUSH, Topics.PULL_REQUEST);
        }
        return reader;
    }

    @AfterAll
    static void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    private static String credential(Provider provider) {
        String id = UUID.randomUUID().toString();
        FakeCredentialService.get().put(id, provider, SECRET);
        return id;
    }

    @Test
    void everyChangeOfASignedCloudPushIsPublishedKeyedByRepositoryWithItsContentAsCeId() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        byte[] body = Payloads.cloudPushOfThreeChanges().getBytes(StandardCharsets.UTF_8);
        String deliveryId = UUID.randomUUID().toString();

        Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", body, SECRET, deliveryId).header("X-Attempt-Number", "2")
                .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId))
                .then().statusCode(202).body("outcome", equalTo("accepted")).body("deliveryId", equalTo(deliveryId));

        ConsumerRecord<String, byte[]> record = reader().await(Topics.PUSH, deliveryId, KAFKA_WAIT);
        assertEquals("bitbucket-cloud:bitbucket.org/acme/game", record.key());
        CloudEventHeaders ce = CloudEventHeaders.read(record.headers()).orElseThrow();
        assertEquals(EventType.PUSH.ceType(), ce.type());
        assertEquals("/webhooks/bitbucket-cloud/" + credentialId, ce.source());
        assertEquals(WebhookEventId.of(credentialId, "repo:push", body), ce.id());
        PushEvent push = EventJson.fromBytes(record.value(), PushEvent.class);
        assertEquals(deliveryId, push.deliveryId());
        assertEquals(2, push.attempt());
        assertEquals(credentialId, push.credentialId());
        assertEquals("Zoë Ångström", push.actor().displayName());
        assertEquals(3, push.changes().size());

        RefChange update = push.changes().get(0);
        assertEquals(RefType.BRANCH, update.refType());
        assertTrue(update.forced() && update.truncated() && !update.commitsComplete());
        assertEquals("GAME-7 Übersetzung für Spieler 🎮\n", update.commits().get(0).message());
        assertEquals("zoe@example.com", update.commits().get(0).author().email());
        assertEquals(Instant.parse("2026-11-22T10:15:30Z"), update.commits().get(0).date());

        RefChange tag = push.changes().get(1);
        assertEquals(RefType.TAG, tag.refType());
        assertTrue(tag.created() && !tag.deleted() && tag.oldHash() == null);

        RefChange deletion = push.changes().get(2);
        assertEquals("feature/old", deletion.refName());
        assertTrue(deletion.deleted() && deletion.newHash() == null && deletion.commits().isEmpty());
    }

    /**
     * A captured body sent again under a fresh X-Request-UUID is answered like any delivery (a manual redelivery looks
     * the same), but it is the same event: one ce_id, on which the consumers act once. A retry is published again,
     * so one whose first attempt never reached Kafka is not lost.
     */
    @Test
    void aReplayedBodyUnderAFreshDeliveryIdIsTheSameEventAndARetryIsPublishedAgain() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        byte[] body = Payloads.cloudPushOfThreeChanges().getBytes(StandardCharsets.UTF_8);
        String original = UUID.randomUUID().toString();
        String replay = UUID.randomUUID().toString();
        for (String deliveryId : List.of(original, replay, original)) {
            Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", body, SECRET, deliveryId)
                    .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId))
                    .then().statusCode(202).body("outcome", equalTo("accepted")).body("deliveryId", equalTo(deliveryId));
        }
        String eventId = WebhookEventId.of(credentialId, "repo:push", body);
        assertEquals(eventId, TopicReader.ceId(reader().await(Topics.PUSH, original, KAFKA_WAIT)));
        assertEquals(eventId, TopicReader.ceId(reader().await(Topics.PUSH, replay, KAFKA_WAIT)));

        byte[] otherBody = Payloads.cloudPushOfThreeChanges().replace("Acme/Game", "Acme/Other").getBytes(StandardCharsets.UTF_8);
        String other = UUID.randomUUID().toString();
        Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", otherBody, SECRET, other)
                .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId)).then().statusCode(202);
        assertNotEquals(eventId, TopicReader.ceId(reader().await(Topics.PUSH, other, KAFKA_WAIT)), "another body is another event");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyPublicFixtureVerifiesNormalisesAndLandsOnItsTopic(String name, Path fixture) throws Exception {
        String eventKey = Fixtures.header(fixture, "X-Event-Key").orElseThrow(() -> new AssertionError(name + " has no X-Event-Key"));
        Provider provider = Fixtures.provider(eventKey);
        String credentialId = credential(provider);
        byte[] body = Fixtures.body(fixture);
        String deliveryId = UUID.randomUUID().toString();

        Response response = Webhooks.signed(provider, eventKey, body, SECRET, deliveryId)
                .contentType(Fixtures.header(fixture, "Content-Type").orElse("application/json"))
                .post(Webhooks.path(provider, credentialId));

        if (!EventKeys.published(provider, eventKey)) {
            response.then().statusCode(202).body("outcome", equalTo("ignored"));
            return;
        }
        response.then().statusCode(202).body("outcome", equalTo("accepted"));
        JsonNode json = EventJson.mapper().readTree(body);
        if (EventKeys.isPush(provider, eventKey)) {
            ConsumerRecord<String, byte[]> record = reader().await(Topics.PUSH, deliveryId, KAFKA_WAIT);
            PushEvent push = EventJson.fromBytes(record.value(), PushEvent.class);
            assertEquals(provider, push.provider());
            assertEquals(eventKey, push.eventKey());
            assertEquals(deliveryId, push.deliveryId());
            FixtureExpectations.repository(name, provider, json.path("repository"), push.repository(), record.key());
            FixtureExpectations.actor(name, provider, json.path("actor"), push.actor());
            JsonNode changes = provider == Provider.BITBUCKET_CLOUD ? json.path("push").path("changes") : json.path("changes");
            assertEquals(changes.size(), push.changes().size(), name + ": every change of the push");
            for (int i = 0; i < changes.size(); i++) {
                FixtureExpectations.change(name + " change " + i, provider, changes.get(i), push.changes().get(i));
            }
        } else {
            ConsumerRecord<String, byte[]> record = reader().await(Topics.PULL_REQUEST, deliveryId, KAFKA_WAIT);
            PullRequestEvent event = EventJson.fromBytes(record.value(), PullRequestEvent.class);
            assertEquals(provider, event.provider());
            assertEquals(deliveryId, event.deliveryId());
            assertNotEquals(PullRequestAction.UNKNOWN, event.action(), name + ": every documented key has an action");
            JsonNode pr = provider == Provider.BITBUCKET_CLOUD ? json.path("pullrequest") : json.path("pullRequest");
            JsonNode repository = provider == Provider.BITBUCKET_CLOUD ? json.path("repository") : pr.path("toRef").path("repository");
            FixtureExpectations.repository(name, provider, repository, event.repository(), record.key());
            FixtureExpectations.actor(name, provider, json.path("actor"), event.actor());
            FixtureExpectations.pullRequest(name, provider, pr, event.pullRequest());
        }
    }

    static Stream<Object[]> fixtures() {
        return Fixtures.all().map(p -> new Object[] {Fixtures.relativeName(p), p});
    }

    @Test
    void fixtureSignaturesAreCheckedAsTheirSourcesSignedThem() {
        // The vectors are signed with their sources' plain secrets: they prove the HMAC is Bitbucket's. Hooks Bitbridge
        // registers carry per-hook secrets derived from the credential's, which the other tests sign with.
        int verified = 0;
        for (Path fixture : Fixtures.all().toList()) {
            var secret = Fixtures.secret(fixture);
            var signature = Fixtures.header(fixture, "X-Hub-Signature");
            if (secret.isEmpty() || signature.isEmpty()) {
                continue;
            }
            boolean sha256 = signature.get().matches("sha256=[0-9a-f]{64}");
            assertEquals(sha256, SignatureVerifier.signatureMatches(signature.get(), Fixtures.body(fixture), List.of(secret.get())),
                    fixture.toString());
            verified += sha256 ? 1 : 0;
        }
        assertTrue(verified >= 10, "the go-playground and drone vectors verify: " + verified);
        // drone's vector with only 40 hex digits over the same body must be refused, through the gateway too.
        Path drone = Fixtures.folder().resolve("drone-go-scm/repo_refs_changed__push.json");
        String credentialId = UUID.randomUUID().toString();
        FakeCredentialService.get().put(credentialId, Provider.BITBUCKET_SERVER, Fixtures.secret(drone).orElseThrow());
        String full = SignatureVerifier.sign(Webhooks.hookSecret(Provider.BITBUCKET_SERVER, Fixtures.secret(drone).orElseThrow(),
                Fixtures.body(drone)), Fixtures.body(drone));
        given().contentType("application/json").body(Fixtures.body(drone)).header("X-Event-Key", "repo:refs_changed")
                .header("X-Hub-Signature", full.substring(0, "sha256=".length() + 40))
                .post(Webhooks.path(Provider.BITBUCKET_SERVER, credentialId))
                .then().statusCode(401);
        given().contentType("application/json").body(Fixtures.body(drone)).header("X-Event-Key", "repo:refs_changed")
                .header("X-Hub-Signature", full).post(Webhooks.path(Provider.BITBUCKET_SERVER, credentialId))
                .then().statusCode(202);
    }

    @Test
    void anyBadSignatureIsRefusedWithOneAnswerThatGivesNoHint() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        byte[] body = Payloads.cloudPushOfThreeChanges().getBytes(StandardCharsets.UTF_8);
        String good = SignatureVerifier.sign(SECRET, body);
        String wrongSecret = SignatureVerifier.sign("not-the-secret", body);
        String sha1 = "sha1=" + good.substring("sha256=".length(), "sha256=".length() + 40);
        List<String> badSignatures = List.of(wrongSecret, sha1, "sha256=zz", good.toUpperCase().replace("SHA256", "sha512"), "");
        for (String signature : badSignatures) {
            given().contentType("application/json").body(body).header("X-Event-Key", "repo:push").header("X-Hub-Signature", signature)
                    .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId))
                    .then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "webhook-unauthenticated"))
                    .body("detail", equalTo("The delivery is not signed with this webhook's secret."));
        }
        // No signature at all, on a credential that does not accept tokens.
        given().contentType("application/json").body(body).header("X-Event-Key", "repo:push")
                .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId) + "?token=" + SECRET)
                .then().statusCode(401).body("type", equalTo(PROBLEMS + "webhook-unauthenticated"));
    }

    @Test
    void thePreviousSecretVerifiesOnlyDuringTheRotationOverlap() {
        String push = Payloads.cloudPushOfThreeChanges();
        String overlapping = UUID.randomUUID().toString();
        FakeCredentialService.get().put(overlapping, Provider.BITBUCKET_CLOUD, "new-secret", "old-secret",
                Instant.now().plusSeconds(3600), false);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, overlapping, "repo:push", push, "old-secret").then().statusCode(202);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, overlapping, "repo:push", push, "new-secret").then().statusCode(202);

        String expired = UUID.randomUUID().toString();
        FakeCredentialService.get().put(expired, Provider.BITBUCKET_CLOUD, "new-secret", "old-secret",
                Instant.now().minusSeconds(1), false);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, expired, "repo:push", push, "old-secret").then().statusCode(401);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, expired, "repo:push", push, "new-secret").then().statusCode(202);

        // a previous secret without the end of its overlap is never "valid forever"
        String endless = UUID.randomUUID().toString();
        FakeCredentialService.get().put(endless, Provider.BITBUCKET_CLOUD, "new-secret", "old-secret", null, false);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, endless, "repo:push", push, "old-secret").then().statusCode(401);
    }

    @Test
    void theNextSecretVerifiesWhileARotationUpdatesTheHooks() {
        String push = Payloads.cloudPushOfThreeChanges();
        String rotating = UUID.randomUUID().toString();
        FakeCredentialService.get().put(rotating, Provider.BITBUCKET_CLOUD, "current-secret", "next-secret", null, null, false);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, rotating, "repo:push", push, "current-secret").then().statusCode(202);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, rotating, "repo:push", push, "next-secret").then().statusCode(202);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, rotating, "repo:push", push, "other-secret").then().statusCode(401);
    }

    @Test
    void unknownOrImpossibleCredentialsGet404() {
        String push = Payloads.cloudPushOfThreeChanges();
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, "never-registered", "repo:push", push, SECRET)
                .then().statusCode(404).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "unknown-credential"));
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, "..%2F..%2Fadmin", "repo:push", push, SECRET).then().statusCode(404);
        // A Server credential's id on the Cloud endpoint names no Cloud webhook.
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credential(Provider.BITBUCKET_SERVER), "repo:push", push, SECRET)
                .then().statusCode(404).body("type", equalTo(PROBLEMS + "unknown-credential"));
        assertEquals(0, FakeCredentialService.get().calls("..%2F..%2Fadmin") + FakeCredentialService.get().calls("../../admin"));
        assertEquals(0, FakeCredentialService.get().calls("never-registered"), "not a UUID: no credential can have that id");

        String unknown = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            Webhooks.deliver(Provider.BITBUCKET_CLOUD, unknown, "repo:push", push, SECRET).then().statusCode(404);
        }
        assertEquals(1, FakeCredentialService.get().calls(unknown), "an unknown credential is remembered as unknown");
    }

    /**
     * Made-up ids cannot turn into load on credential-service: beyond the miss budget (burst 50, 20 a second) a
     * delivery for a credential not in the cache is answered 503 without a call, and Bitbucket retries it later.
     * (WebhookSecretsCacheTest shows the budget on a clock it turns; here it holds on the real path.)
     */
    @Test
    void aThousandRandomCredentialIdsCostCredentialServiceABoundedNumberOfCalls() throws Exception {
        int before = FakeCredentialService.get().totalCalls();
        long started = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                answers.add(senders.submit(() -> Webhooks.deliver(Provider.BITBUCKET_SERVER, UUID.randomUUID().toString(),
                        "repo:refs_changed", "{}", SECRET).then().extract().statusCode()));
            }
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                assertTrue(status == 404 || status == 503, "answered " + status);
            }
        } finally {
            senders.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int calls = FakeCredentialService.get().totalCalls() - before;
        assertTrue(calls <= 50 + 20 * Math.ceil(seconds), calls + " calls for 1,000 ids in " + seconds + " s");
        // Once the flood stops the budget refills: a real credential's delivery (retried as Bitbucket would) gets in.
        String real = credential(Provider.BITBUCKET_CLOUD);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                Webhooks.deliver(Provider.BITBUCKET_CLOUD, real, "repo:push", Payloads.cloudPushOfThreeChanges(), SECRET).then().statusCode(202));
    }

    @Test
    void anUnsignedServerPingIsAnsweredAndNothingIsPublished() {
        String credentialId = credential(Provider.BITBUCKET_SERVER);
        String deliveryId = UUID.randomUUID().toString();
        try (TopicTail push = TopicTail.from(TestInfra.topic(Topics.PUSH)); TopicTail pullRequests = TopicTail.from(TestInfra.topic(Topics.PULL_REQUEST))) {
            Webhooks.signed(Provider.BITBUCKET_SERVER, "diagnostics:ping", Payloads.serverPing().getBytes(StandardCharsets.UTF_8), null, deliveryId)
                    .post(Webhooks.path(Provider.BITBUCKET_SERVER, credentialId))
                    .then().statusCode(200).body("outcome", equalTo("ping"));
            // Cloud has no ping: an unsigned delivery there is just unsigned.
            Webhooks.deliver(Provider.BITBUCKET_CLOUD, credential(Provider.BITBUCKET_CLOUD), "diagnostics:ping", Payloads.serverPing(), null)
                    .then().statusCode(401);
            push.assertNothingElse();
            pullRequests.assertNothingElse();
        }
    }

    @Test
    void unsignedDeliveriesWithTheTokenAreAcceptedOnlyWhereAnAdminAllowedIt() {
        String optedIn = UUID.randomUUID().toString();
        FakeCredentialService.get().put(optedIn, Provider.BITBUCKET_SERVER, SECRET, null, null, true);
        byte[] body = serverPush();
        String token = Webhooks.urlToken(Provider.BITBUCKET_SERVER, SECRET, body);
        String deliveryId = UUID.randomUUID().toString();
        Webhooks.signed(Provider.BITBUCKET_SERVER, "repo:refs_changed", body, null, deliveryId)
                .queryParam("token", token).post(Webhooks.path(Provider.BITBUCKET_SERVER, optedIn))
                .then().statusCode(202);
        reader().await(Topics.PUSH, deliveryId, KAFKA_WAIT);
        // The URL token is derived apart from the signing secrets: neither the root secret nor the hook's secret is one.
        for (String notAToken : List.of(token + "x", SECRET, Webhooks.hookSecret(Provider.BITBUCKET_SERVER, SECRET, body))) {
            Webhooks.signed(Provider.BITBUCKET_SERVER, "repo:refs_changed", body, null, UUID.randomUUID().toString())
                    .queryParam("token", notAToken).post(Webhooks.path(Provider.BITBUCKET_SERVER, optedIn))
                    .then().statusCode(401);
        }
        // A signature, when present, is always checked: a good token does not excuse a bad signature.
        Webhooks.signed(Provider.BITBUCKET_SERVER, "repo:refs_changed", body, "wrong", UUID.randomUUID().toString())
                .queryParam("token", token).post(Webhooks.path(Provider.BITBUCKET_SERVER, optedIn))
                .then().statusCode(401);

        String signedOnly = credential(Provider.BITBUCKET_SERVER);
        Webhooks.signed(Provider.BITBUCKET_SERVER, "repo:refs_changed", body, null, UUID.randomUUID().toString())
                .queryParam("token", token).post(Webhooks.path(Provider.BITBUCKET_SERVER, signedOnly))
                .then().statusCode(401);
    }

    /**
     * Each hook signs with its own secret (derived from the credential's and the hook's scope): the admin of one
     * repository, who can read its hook's secret on Bitbucket Server, cannot sign for a sibling repository. A project
     * (or Cloud workspace) hook's secret signs for every repository of its owner; the root secret signs nothing.
     */
    @Test
    void aHookSecretSignsOnlyForItsOwnRepositoryOrOwner() {
        String credentialId = credential(Provider.BITBUCKET_SERVER);
        byte[] body = serverPush(); // names DEV/deployment-automation
        String sibling = HookScope.repository("DEV", "other-repository").secret(SECRET);
        String otherProject = HookScope.owner("OPS").secret(SECRET);
        for (String wrongHook : List.of(sibling, otherProject, SECRET)) {
            Webhooks.signedWithHookSecret(Provider.BITBUCKET_SERVER, "repo:refs_changed", body, wrongHook, UUID.randomUUID().toString())
                    .post(Webhooks.path(Provider.BITBUCKET_SERVER, credentialId)).then().statusCode(401)
                    .body("type", equalTo(PROBLEMS + "webhook-unauthenticated"));
        }
        for (String rightHook : List.of(HookScope.repository("dev", "Deployment-Automation").secret(SECRET), HookScope.owner("DEV").secret(SECRET))) {
            Webhooks.signedWithHookSecret(Provider.BITBUCKET_SERVER, "repo:refs_changed", body, rightHook, UUID.randomUUID().toString())
                    .post(Webhooks.path(Provider.BITBUCKET_SERVER, credentialId)).then().statusCode(202);
        }
    }

    @Test
    void otherEventKeysAreAnsweredAndCountedButNotPublished() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        String deliveryId = UUID.randomUUID().toString();
        try (TopicTail push = TopicTail.from(TestInfra.topic(Topics.PUSH)); TopicTail pullRequests = TopicTail.from(TestInfra.topic(Topics.PULL_REQUEST))) {
            Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:fork", "{\"repository\":{\"full_name\":\"acme/game\"}}".getBytes(StandardCharsets.UTF_8), SECRET, deliveryId)
                    .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId))
                    .then().statusCode(202).body("outcome", equalTo("ignored"));
            // A Server key on the Cloud endpoint is not Cloud's to publish either.
            Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:refs_changed", Payloads.cloudPushOfThreeChanges(), SECRET)
                    .then().statusCode(202).body("outcome", equalTo("ignored"));
            // A body that names no repository cannot be told from any hook's: nothing signs for it.
            Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:fork", "{}", SECRET).then().statusCode(401);
            push.assertNothingElse();
            pullRequests.assertNothingElse();
        }
        given().auth().oauth2(TestTokens.viewer()).get("/q/metrics").then().statusCode(200)
                .body(containsString("bitbridge_gateway_deliveries_total{event_key=\"repo:fork\",outcome=\"ignored\",provider=\"bitbucket-cloud\"}"));
    }

    @Test
    void onlyJsonBodiesAreAcceptedWithOrWithoutCharset() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        byte[] body = Payloads.cloudPushOfThreeChanges().getBytes(StandardCharsets.UTF_8);
        for (String json : List.of("application/json", "application/json; charset=UTF-8", "Application/JSON;charset=utf-8")) {
            Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", body, SECRET, UUID.randomUUID().toString())
                    .contentType(json).post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId))
                    .then().statusCode(202);
        }
        for (String other : List.of("text/plain", "application/xml", "application/json; charset=ISO-8859-1")) {
            Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", body, SECRET, UUID.randomUUID().toString())
                    .contentType(other).post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId))
                    .then().statusCode(415).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "unsupported-media-type"));
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsReadWhetherDeclaredOrChunked() throws Exception {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        // Declares 32 MiB, or 8 GiB (past any framework limit), but sends only 1 KiB: the answer must come without the
        // rest ever arriving, and it is the gateway's own problem document, never the HTTP layer's bare 413.
        for (long declaredSize : List.of(32L << 20, 8L << 30)) {
            String declared = rawExchange(credentialId, "Content-Length: " + declaredSize + "\r\n", new byte[1024], false);
            assertTrue(declared.startsWith("HTTP/1.1 413"), declared);
            assertTrue(declared.contains("application/problem+json"), declared);
        }
        // Chunked, no length: refused once the limit is passed.
        String chunked = rawExchange(credentialId, "Transfer-Encoding: chunked\r\n", new byte[(1 << 20) + 64 * 1024], true);
        assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked);
        // Exactly at the limit is still read (and then judged on its content: not JSON).
        byte[] atLimit = new byte[1 << 20];
        java.util.Arrays.fill(atLimit, (byte) ' ');
        Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", atLimit, SECRET, UUID.randomUUID().toString())
                .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId))
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-json"));
    }

    /**
     * 200 connections that send their bodies one byte a second hold no thread: normal deliveries meanwhile are not
     * delayed beyond twice their usual p99 (measured just before, without them), and every slow one is answered 408
     * with a problem document and closed once the body-read deadline (3 s in tests) has passed. Of the 50 deliveries
     * measured with the slow senders, the slowest 5 are left out: on a shared machine a scheduling hiccup of either
     * phase lands there, while a gateway that parks a thread per slow body delays every one of them.
     */
    @Test
    void slowBodiesHoldNoThreadAndAreCutOffAtTheDeadline() throws Exception {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        byte[] body = Payloads.cloudPushOfThreeChanges().getBytes(StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest delivery = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port
                        + Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId)))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json").header("X-Event-Key", "repo:push")
                .header("X-Hub-Signature", SignatureVerifier.sign(Webhooks.hookSecret(Provider.BITBUCKET_CLOUD, SECRET, body), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long[] usualTook = latencies(http, delivery);
        Duration usual = percentile(usualTook, 0.99);
        try (SlowSenders slow = new SlowSenders(io.restassured.RestAssured.port, Provider.BITBUCKET_CLOUD, credentialId, 200)) {
            long[] meanwhileTook = latencies(http, delivery);
            Duration meanwhile = percentile(meanwhileTook, 0.90);
            assertTrue(meanwhile.compareTo(usual.multipliedBy(2)) <= 0,
                    "p90 with 200 slow senders " + meanwhile.toMillis() + " ms, p99 without " + usual.toMillis() + " ms; "
                            + java.util.Arrays.toString(usualTook) + " / " + java.util.Arrays.toString(meanwhileTook));
            List<String> answers = slow.answers();
            assertEquals(200, answers.stream().filter(answer -> answer.startsWith("HTTP/1.1 408")
                    && answer.contains("application/problem+json")).count(), answers.get(0));
        }
    }

    /** Milliseconds each of 50 sequential deliveries of {@code delivery} took (after one that warms the connection), sorted. */
    private static long[] latencies(HttpClient http, HttpRequest delivery) throws Exception {
        http.send(delivery, HttpResponse.BodyHandlers.discarding());
        long[] took = new long[50];
        for (int i = 0; i < took.length; i++) {
            long started = System.nanoTime();
            int status = http.send(delivery, HttpResponse.BodyHandlers.discarding()).statusCode();
            took[i] = (System.nanoTime() - started) / 1_000_000;
            assertEquals(202, status);
        }
        java.util.Arrays.sort(took);
        return took;
    }

    private static Duration percentile(long[] sortedMillis, double fraction) {
        return Duration.ofMillis(sortedMillis[(int) Math.ceil(sortedMillis.length * fraction) - 1]);
    }

    private static int storedDeliveries(String credentialId) {
        try (java.sql.Connection db = TestInfra.jdbc();
             java.sql.PreparedStatement count = db.prepareStatement("select count(*) from delivery where credential_id = ?")) {
            count.setString(1, credentialId);
            try (java.sql.ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a request by hand (so the body can be cut short or chunked) and returns the status line and headers. */
    private static String rawExchange(String credentialId, String framingHeader, byte[] body, boolean chunked) throws Exception {
        int port = io.restassured.RestAssured.port;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId) + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nX-Event-Key: repo:push\r\n"
                    + "X-Hub-Signature: " + SignatureVerifier.sign(SECRET, body) + "\r\n" + framingHeader + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                if (chunked) {
                    for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                        int size = Math.min(64 * 1024, body.length - offset);
                        out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, offset, size);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(body);
                }
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // The server may answer and close before the whole body is written; the answer is what counts.
            }
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && !head.toString().endsWith("\r\n\r\n")) {
                head.append((char) b);
            }
            return head.toString();
        }
    }

    @Test
    void badBodiesGetTheirOwnProblemTypes() {
        String cloud = credential(Provider.BITBUCKET_CLOUD);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, cloud, "repo:push", "{\"push\": [", SECRET)
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "malformed-json"))
                .body("detail", not(containsString("Exception")));
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, cloud, null, Payloads.cloudPushOfThreeChanges(), SECRET)
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "missing-event-key"));
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, cloud, "repo:push", "{\"repository\":{\"full_name\":\"a/b\"}}", SECRET)
                .then().statusCode(422).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "invalid-payload"))
                .body("detail", containsString("push.changes"));
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, cloud, "pullrequest:created", "[1,2]", SECRET)
                .then().statusCode(422).body("type", equalTo(PROBLEMS + "invalid-payload"));
        String server = credential(Provider.BITBUCKET_SERVER);
        Webhooks.deliver(Provider.BITBUCKET_SERVER, server, "pr:opened",
                        "{\"repository\":{\"slug\":\"r\",\"project\":{\"key\":\"P\"}},\"pullRequest\":\"not an object\"}", SECRET)
                .then().statusCode(422).body("type", equalTo(PROBLEMS + "invalid-payload"));
    }

    @Test
    void secretsAreCachedAndDroppedWhenCredentialServiceAnnouncesAChange() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        String push = Payloads.cloudPushOfThreeChanges();
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", push, SECRET).then().statusCode(202);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", push, SECRET).then().statusCode(202);
        assertEquals(1, FakeCredentialService.get().calls(credentialId), "the second delivery used the cached secrets");

        FakeCredentialService.get().put(credentialId, Provider.BITBUCKET_CLOUD, "rotated");
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", push, "rotated").then().statusCode(401);

        CredentialLifecycleEvent rotated = new CredentialLifecycleEvent(UUID.randomUUID().toString(), credentialId,
                CredentialLifecycleEvent.Type.WEBHOOK_SECRET_ROTATED, CredentialKind.BITBUCKET_CLOUD_OAUTH, "acme",
                CredentialLifecycleEvent.Status.UP, null, null, null, Instant.now());
        announceLifecycle(credentialId, rotated.eventId(), EventJson.toBytes(rotated));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", push, "rotated").then().statusCode(202));
    }

    /**
     * An unreadable lifecycle record is dead-lettered and changes nothing: were it to empty the cache, one bad record
     * during a credential-service outage would turn every delivery into a 503.
     */
    @Test
    void anUnreadableLifecycleEventIsSkippedAndKeepsTheCachedSecrets() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        String push = Payloads.cloudPushOfThreeChanges();
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", push, SECRET).then().statusCode(202);
        try (TopicTail deadLetters = TopicTail.from(Topics.deadLetter(TestInfra.topic(Topics.CREDENTIALS_LIFECYCLE), "webhook-gateway"))) {
            announceLifecycle(credentialId, UUID.randomUUID().toString(), "{\"credentialId\":".getBytes(StandardCharsets.UTF_8));
            deadLetters.await(record -> record.key() != null && credentialId.equals(new String(record.key(), StandardCharsets.UTF_8)));
        }
        FakeCredentialService.get().failWith(500);
        try {
            Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", push, SECRET).then().statusCode(202);
        } finally {
            FakeCredentialService.get().heal();
        }
        assertEquals(1, FakeCredentialService.get().calls(credentialId), "served from the cache throughout");
    }

    /** What credential-service publishes: a value on the lifecycle topic, keyed by credential id, with CloudEvents headers. */
    private static void announceLifecycle(String key, String eventId, byte[] value) {
        CloudEventHeaders headers = CloudEventHeaders.of(eventId, EventType.CREDENTIAL_LIFECYCLE, "/test", Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TestInfra.topic(Topics.CREDENTIALS_LIFECYCLE), null, key, value, headers.toKafkaHeaders()));
        }
    }

    @Test
    void theDeliveriesLogKeepsTheNewestFewPerCredentialForViewersWithRefusedOnesApart() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        String push = Payloads.cloudPushOfThreeChanges();
        String lastId = null;
        for (int i = 0; i < 6; i++) {
            lastId = UUID.randomUUID().toString();
            Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", push.getBytes(StandardCharsets.UTF_8), SECRET, lastId)
                    .header("X-Attempt-Number", "3").post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId)).then().statusCode(202);
        }
        String newest = lastId;
        // A flood of forged deliveries after the real ones: they go to the refused view and push nothing out.
        List<String> forged = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            forged.add(UUID.randomUUID().toString());
            Webhooks.signed(Provider.BITBUCKET_CLOUD, "repo:push", push.getBytes(StandardCharsets.UTF_8), "forged", forged.get(i))
                    .post(Webhooks.path(Provider.BITBUCKET_CLOUD, credentialId)).then().statusCode(401);
        }
        String path = "/api/credentials/" + credentialId + "/deliveries";
        // keep-per-credential is 5 in tests (keep-refused-per-credential 3): the oldest accepted one is gone.
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> given().auth().oauth2(TestTokens.viewer()).queryParam("limit", 5).get(path)
                .then().statusCode(200).body("$", hasSize(5))
                .body("[0].deliveryId", equalTo(newest))
                .body("verdict", everyItem(equalTo("accepted"))));
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> given().auth().oauth2(TestTokens.viewer()).get(path + "/refused")
                .then().statusCode(200).body("$", hasSize(3))
                .body("deliveryId", contains(forged.get(7), forged.get(6), forged.get(5)))
                .body("verdict", everyItem(equalTo("unauthenticated"))).body("status", everyItem(equalTo(401))));
        // The table itself is pruned back to the newest 5 + 3 (on the log's prune timer, not per write).
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> assertEquals(8, storedDeliveries(credentialId)));
        given().auth().oauth2(TestTokens.viewer()).get(path).then().statusCode(200)
                .body("[0].verdict", equalTo("accepted")).body("[0].status", equalTo(202)).body("[0].attempt", equalTo(3))
                .body("[0].eventKey", equalTo("repo:push")).body("[0].provider", equalTo("BITBUCKET_CLOUD"));
        given().get(path).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.ofService("webhook-gateway")).get(path).then().statusCode(403);
        given().auth().oauth2(TestTokens.admin()).queryParam("limit", 0).get(path).then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).queryParam("limit", 4).get(path + "/refused").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void metricsCountOutcomesAndTimeHandlingAndPublishing() {
        String credentialId = credential(Provider.BITBUCKET_CLOUD);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "repo:push", Payloads.cloudPushOfThreeChanges(), SECRET).then().statusCode(202);
        Webhooks.deliver(Provider.BITBUCKET_CLOUD, credentialId, "x-attacker-chosen:" + UUID.randomUUID(), Payloads.cloudPushOfThreeChanges(), SECRET)
                .then().statusCode(202);
        given().auth().oauth2(TestTokens.viewer()).get("/q/metrics").then().statusCode(200)
                .body(containsString("bitbridge_gateway_deliveries_total{event_key=\"repo:push\",outcome=\"accepted\",provider=\"bitbucket-cloud\"}"))
                .body(containsString("bitbridge_gateway_deliveries_total{event_key=\"other\",outcome=\"ignored\",provider=\"bitbucket-cloud\"}"))
                .body(not(containsString("x-attacker-chosen")))
                .body(containsString("bitbridge_gateway_handling_seconds_bucket{outcome=\"accepted\",provider=\"bitbucket-cloud\""))
                .body(containsString("bitbridge_gateway_publish_seconds_count{result=\"acknowledged\",topic=\"bitbucket.push.v1\"}"))
                .body(containsString("bitbridge_gateway_deliveries_log_pending"))
                .body(containsString("bitbridge_gateway_deliveries_log_dropped_total 0.0"));
    }

    /**
     * Property-based, as a seeded loop: jqwik's engine cannot drive a @QuarkusTest and its generators refuse to
     * run outside a jqwik property, so this test draws random requests (bodies, event keys, signatures, media
     * types, delivery ids, credentials) from a fixed-seed {@link java.util.Random}. Whatever arrives, the answer
     * is never a 5xx (dependencies are healthy here, so not even 503) and every refusal is a problem document.
     * The pure properties (signatures, dates, damaged payloads) run under jqwik in {@code IntakePropertiesTest}.
     */
    @Test
    void randomRequestsNeverGetA5xxAndEveryRefusalIsAProblemDocument() {
        String cloudCredential = credential(Provider.BITBUCKET_CLOUD);
        String serverCredential = credential(Provider.BITBUCKET_SERVER);
        long seed = Long.getLong("bitbridge.test.seed", 20261122L);
        java.util.Random random = new java.util.Random(seed);
        List<Path> fixtures = Fixtures.all().toList();
        List<String> keys = List.of("repo:push", "pullrequest:created", "pullrequest:fulfilled", "repo:refs_changed", "pr:opened",
                "pr:merged", "diagnostics:ping", "repo:fork");
        for (int i = 0; i < 150; i++) {
            Provider provider = random.nextBoolean() ? Provider.BITBUCKET_CLOUD : Provider.BITBUCKET_SERVER;
            byte[] body = switch (random.nextInt(4)) {
                case 0 -> randomBytes(random);
                case 1 -> printable(random).getBytes(StandardCharsets.UTF_8);
                case 2 -> Fixtures.body(fixtures.get(random.nextInt(fixtures.size())));
                default -> truncate(Fixtures.body(fixtures.get(random.nextInt(fixtures.size()))), random);
            };
            var request = given().body(body);
            switch (random.nextInt(4)) {
                case 0 -> request.contentType("text/plain");
                case 1 -> request.contentType("application/x-" + Integer.toHexString(random.nextInt()));
                default -> request.contentType("application/json");
            }
            switch (random.nextInt(4)) {
                case 0 -> { }
                case 1 -> request.header("X-Event-Key", printable(random));
                default -> request.header("X-Event-Key", keys.get(random.nextInt(keys.size())));
            }
            switch (random.nextInt(5)) {
                case 0 -> { }
                case 1 -> request.header("X-Hub-Signature", printable(random));
                case 2 -> request.header("X-Hub-Signature", SignatureVerifier.sign("wrong", body));
                default -> request.header("X-Hub-Signature", SignatureVerifier.sign(SECRET, body));
            }
            if (random.nextInt(4) == 0) {
                request.header(Webhooks.deliveryHeader(provider), printable(random));
                request.header("X-Attempt-Number", printable(random));
            }
            String credentialId = switch (random.nextInt(5)) {
                case 0 -> "x" + Integer.toHexString(random.nextInt());
                default -> provider == Provider.BITBUCKET_CLOUD ? cloudCredential : serverCredential;
            };
            Response response = request.post(Webhooks.path(provider, credentialId));
            int status = response.statusCode();
            String trial = "seed " + seed + " try " + i;
            assertTrue(status < 500, trial + " got " + status + ": " + response.asString());
            if (status >= 400) {
                assertEquals("application/problem+json", response.contentType().split(";")[0], trial);
                assertTrue(response.jsonPath().getString("type").startsWith(PROBLEMS), trial);
            }
        }
    }

    private static String printable(java.util.Random random) {
        char[] text = new char[random.nextInt(81)];
        for (int i = 0; i < text.length; i++) {
            text[i] = (char) (' ' + random.nextInt('~' - ' ' + 1));
        }
        return new String(text);
    }

    private static byte[] randomBytes(java.util.Random random) {
        byte[] bytes = new byte[random.nextInt(2049)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] truncate(byte[] body, java.util.Random random) {
        return java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
    }

    private static byte[] serverPush() {
        return Fixtures.body(Fixtures.folder().resolve("woodpecker-ci-woodpecker/repo_refs_changed__dc-push.json"));
    }

    /**
     * What every Bitbridge service promises ({@link ServiceContractTests}), checked on this class's running service
     * rather than on one started for a class of its own.
     */
    @Nested
    class ServiceContract extends ServiceContractTests {
    }
}
