package io.bitbridge.buildtrigger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitbridge.buildtrigger.repository.TriggerRepository;
import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.buildtrigger.support.BitbucketCloudResource;
import io.bitbridge.buildtrigger.support.JenkinsFakeResource;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.BuildTriggerEvent;
import io.bitbridge.events.BuildTriggerEvent.Status;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Commit;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.jenkins.JenkinsTrigger;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** From a push on the topic to builds in the Jenkins fake, decisions on builds.triggers.v1 and rows in PostgreSQL. */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = JenkinsFakeResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BitbucketCloudResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class TriggerFlowTest {
    private static final String OLD = "0".repeat(40);

    @Inject
    EventPublisher publisher;
    @Inject
    TriggerRepository repository;

    @Test
    void tagsStartEachJobOnceWithItsParametersAndRefuseJobsOutsideTheAllowList() throws Exception {
        String head = hash();
        String earlier = hash();
        PushEvent push = push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main",
                commit(head, "GAME-2 animations #jenkins:GameBuild(PLATFORM=win64) #jenkins:Folder/Sub/Job"),
                commit(earlier, "GAME-1 sprites #ci #jenkins:DeployProd #jenkins:GameBuild\n> #jenkins:Quoted"));
        int folderBuilds = triggers("Folder/Sub/Job").size();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push);
            BuildTriggerEvent refused = awaitEvent(events, e -> e.job().equals("DeployProd"));
            assertEquals(Status.FAILED, refused.status());
            assertTrue(refused.reason().startsWith("refused: job DeployProd is not in the allow-list"), refused.reason());
            BuildTriggerEvent completed = awaitEvent(events, e -> e.job().equals("GameBuild") && e.commitHash().equals(head)
                    && e.status() == Status.COMPLETED);
            assertEquals("result SUCCESS", completed.reason());
            assertTrue(completed.buildUrl().startsWith(JenkinsFakeResource.jenkins().baseUrl() + "/job/GameBuild/"), completed.buildUrl());
            awaitEvent(events, e -> e.job().equals("ci-default") && e.status() == Status.COMPLETED);
            awaitEvent(events, e -> e.job().equals("Folder/Sub/Job") && e.status() == Status.COMPLETED);
        }
        List<JenkinsTrigger> game = triggers("GameBuild", head);
        assertEquals(1, game.size(), "one build for the two GameBuild tags");
        assertEquals(Map.of("BITBUCKET_REPOSITORY", JenkinsFakeResource.ENGINE, "BRANCH", "main", "COMMIT", head,
                "TRIGGERED_BY", head + " #jenkins:GameBuild(PLATFORM=win64)", "TASK_KEYS", "GAME-2,GAME-1",
                "PLATFORM", "win64", "CONFIG", "debug"), game.get(0).parameters());
        assertEquals("token", game.get(0).auth());
        assertEquals(1, triggers("ci-default", head).size());
        assertEquals(folderBuilds + 1, triggers("Folder/Sub/Job").size(), "the folder job, by /build (it has no parameters)");
        assertEquals("build", triggers("Folder/Sub/Job").get(folderBuilds).endpoint());
        assertTrue(triggers("DeployProd").isEmpty());

        // The same push again: redelivered, through a second credential, replayed under a fresh delivery id.
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push);
            publish(push(JenkinsFakeResource.ENGINE, "other-" + head, "cred-b", "main", push.changes().get(0).commits().toArray(Commit[]::new)));
            for (int i = 0; i < 8; i++) {
                assertEquals(Status.DEDUPLICATED, awaitEvent(events, e -> e.commitHash().equals(head)).status());
            }
            events.assertNothingElse();
        }
        assertEquals(1, triggers("GameBuild", head).size());
        assertEquals(1, triggers("ci-default", head).size());

        given().auth().oauth2(TestTokens.viewer()).queryParam("repository", JenkinsFakeResource.ENGINE).queryParam("commit", head)
                .queryParam("job", "GameBuild")
                .when().get("/api/triggers")
                .then().log().ifValidationFails().statusCode(200).body("size()", equalTo(1)).body("[0].state", equalTo("completed"))
                .body("[0].result", equalTo("SUCCESS")).body("[0].tag", equalTo("#jenkins:GameBuild(PLATFORM=win64)"));
        given().auth().oauth2(TestTokens.viewer()).queryParam("commit", head).when().get("/api/triggers")
                .then().log().ifValidationFails().statusCode(200).body("size()", equalTo(4));
    }

    @Test
    void passwordInstancesSendTheCrumbWithTheirSession() throws Exception {
        String head = hash();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.PASSWORD_REPO, "delivery-" + head, "cred-a", "main", commit(head, "#jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.QUEUED);
        }
        List<JenkinsTrigger> sent = triggers("GameBuild", head);
        assertEquals(1, sent.size());
        assertEquals("password", sent.get(0).auth());
        assertEquals(201, sent.get(0).status());
    }

    @Test
    void serverErrorsAreRetriedAndStartOneBuild() throws Exception {
        String head = hash();
        JenkinsFakeResource.jenkins().http().faults().arm(Fault.status(503, 2).onPath("/job/GameBuild/buildWithParameters"));
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main", commit(head, "#jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.STARTED);
        }
        assertEquals(1, triggers("GameBuild", head).size());
        assertTrue(JenkinsFakeResource.jenkins().http().faults().armed().isEmpty(), "both 503s were answered");
    }

    @Test
    void notFoundIsNotRetriedAndRecordedWithJenkinsReason() throws Exception {
        String head = hash();
        int before = triggers("Missing").size();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main", commit(head, "#jenkins:Missing")));
            BuildTriggerEvent failed = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.FAILED);
            assertTrue(failed.reason().contains("404") && failed.reason().contains("Not Found"), failed.reason());
        }
        assertEquals(before, triggers("Missing").size(), "the job lookup failed first; nothing was posted");
        long lookups = JenkinsFakeResource.jenkins().http().requests().all().stream()
                .filter(r -> r.path().equals("/job/Missing/api/json")).count();
        assertEquals(1, lookups, "a 404 is not retried");
        given().auth().oauth2(TestTokens.viewer()).queryParam("commit", head).when().get("/api/triggers")
                .then().log().ifValidationFails().statusCode(200).body("[0].state", equalTo("failed"));
    }

    @Test
    void aTriggerInterruptedMidCallIsResolvedFromJenkinsNotStartedTwice() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        String found = hash();
        String lost = hash();
        // A crash after Jenkins accepted the first and before the second was sent left both rows CALLING.
        TriggerRow foundRow = calling(found);
        calling(lost);
        long queueId = jenkins.model().schedule(jenkins.model().job("GameBuild"), foundRow.parameters(), Duration.ZERO,
                "Started remotely").item().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> jenkins.model().queueItem(queueId).executable() != null);
        int before = triggers("GameBuild").size();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "redelivered-" + found, "cred-a", "main", commit(found, "#jenkins")));
            BuildTriggerEvent adopted = awaitEvent(events, e -> e.commitHash().equals(found) && e.status() == Status.DEDUPLICATED);
            assertEquals("found in Jenkins after an interrupted trigger", adopted.reason());
            awaitEvent(events, e -> e.commitHash().equals(found) && e.status() == Status.COMPLETED);
            publish(push(JenkinsFakeResource.ENGINE, "redelivered-" + lost, "cred-a", "main", commit(lost, "#jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(lost) && e.status() == Status.COMPLETED);
        }
        assertEquals(before + 1, triggers("GameBuild").size(), "only the lost one was triggered");
        assertEquals(1, triggers("GameBuild", lost).size());
    }

    @Test
    void anAdminRebuildsDeliberately() throws Exception {
        String head = hash();
        String id;
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main", commit(head, "#build")));
            id = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.COMPLETED).triggerId();
        }
        given().auth().oauth2(TestTokens.viewer()).when().post("/api/triggers/" + id + "/retry").then().statusCode(403);
        given().auth().oauth2(TestTokens.admin()).when().post("/api/triggers/" + UUID.randomUUID() + "/retry")
                .then().statusCode(404).contentType("application/problem+json");
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            given().auth().oauth2(TestTokens.admin()).when().post("/api/triggers/" + id + "/retry")
                    .then().log().ifValidationFails().statusCode(200).body("rebuilds", equalTo(1)).body("state", equalTo("queued"));
            BuildTriggerEvent requested = awaitEvent(events, e -> e.triggerId().equals(id));
            assertEquals(Status.REQUESTED, requested.status());
            assertTrue(requested.reason().startsWith("rebuild requested by "), requested.reason());
            awaitEvent(events, e -> e.triggerId().equals(id) && e.status() == Status.COMPLETED);
        }
        assertEquals(2, triggers("ci-default", head).size());
    }

    @Test
    void theBuildStateIsWrittenBackToTheCommitAsThePushsCredential() throws Exception {
        var cloud = BitbucketCloudResource.cloud();
        String head = cloud.branchTip("acme", "game", "main");
        String buildUrl;
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(BitbucketCloudResource.REPOSITORY, "delivery-" + head, BitbucketCloudResource.CREDENTIAL, "main",
                    commit(head, "GAME-7 #jenkins")));
            buildUrl = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.COMPLETED).buildUrl();
        }
        String statusPath = "/2.0/repositories/acme/game/commit/" + head + "/statuses/build";
        await().atMost(10, TimeUnit.SECONDS).until(() -> cloud.requests().to("POST", statusPath).size() == 2);
        List<String> states = cloud.requests().to("POST", statusPath).stream()
                .map(r -> io.bitbridge.fakes.common.FakeJson.parse(r.request().body())).peek(body -> {
                    assertEquals(buildUrl, body.path("url").asText());
                    assertEquals("BITBRIDGE-GameBuild", body.path("key").asText());
                    assertEquals("main", body.path("refname").asText());
                })
                .map(body -> body.path("state").asText()).toList();
        assertEquals(List.of("INPROGRESS", "SUCCESSFUL"), states);
        assertEquals(List.of(201, 201), cloud.requests().to("POST", statusPath).stream().map(r -> r.status()).toList());
    }

    private TriggerRow calling(String head) {
        Map<String, String> parameters = Map.of("BITBUCKET_REPOSITORY", JenkinsFakeResource.ENGINE, "BRANCH", "main", "COMMIT", head,
                "TRIGGERED_BY", head + " #jenkins", "TASK_KEYS", "");
        Instant now = Instant.now();
        TriggerRow row = new TriggerRow(UUID.randomUUID(), JenkinsFakeResource.ENGINE, "main", head, "GameBuild", "ci", "#jenkins", head,
                parameters, TriggerRow.State.CALLING, null, null, null, null, null, 0, "cred-a", "delivery-" + head, now, now);
        assertTrue(repository.insertIfAbsent(row));
        return row;
    }

    private static BuildTriggerEvent awaitEvent(TopicTail events, Predicate<BuildTriggerEvent> match) {
        return EventJson.fromBytes(events.await(r -> match.test(EventJson.fromBytes(r.value(), BuildTriggerEvent.class))).value(),
                BuildTriggerEvent.class);
    }

    private void publish(PushEvent push) throws Exception {
        publisher.publish(EventType.PUSH_EXPANDED, push.repository().key(),
                CloudEventHeaders.of(push.deliveryId(), EventType.PUSH_EXPANDED, "/test", push.receivedAt()), push)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static List<JenkinsTrigger> triggers(String job) {
        return JenkinsFakeResource.jenkins().triggers().stream().filter(t -> t.jobPath().equals(job)).toList();
    }

    private static List<JenkinsTrigger> triggers(String job, String commit) {
        return triggers(job).stream().filter(t -> commit.equals(t.parameters().get("COMMIT"))).toList();
    }

    private static PushEvent push(String repositoryKey, String deliveryId, String credentialId, String branch, Commit... commits) {
        String[] parts = repositoryKey.substring(repositoryKey.indexOf(':') + 1).split("/");
        RepositoryRef repository = RepositoryRef.of(Provider.BITBUCKET_CLOUD, parts[0], parts[1], parts[2], parts[2], null, List.of());
        RefChange change = new RefChange(RefType.BRANCH, branch, OLD, commits[0].hash(), false, false, false, List.of(commits), false, true);
        return new PushEvent(deliveryId, 1, Provider.BITBUCKET_CLOUD, credentialId, "repo:push", repository, Person.unknown(),
                List.of(change), Instant.now());
    }

    private static Commit commit(String hash, String message) {
        return new Commit(hash, message, Person.unknown(), Instant.now(), List.of(OLD), List.of());
    }

    private static String hash() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
