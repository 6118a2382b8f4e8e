package io.bitbridge.buildtrigger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitbridge.buildtrigger.repository.TriggerRepository;
import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.buildtrigger.service.TriggerService;
import io.bitbridge.buildtrigger.support.BitbucketFakesResource;
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
import io.bitbridge.fakes.jenkins.JenkinsBuild;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.jenkins.JenkinsTrigger;
import io.bitbridge.testkit.DatabaseRelayTestResource;
import io.bitbridge.testkit.TcpRelay;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * From a push on the topic to builds in the Jenkins fake, decisions on builds.triggers.v1 and rows in PostgreSQL (reached
 * through a relay, so that a test can take it away).
 */
@QuarkusTest
@WithTestResource(value = DatabaseRelayTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = JenkinsFakeResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BitbucketFakesResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class TriggerFlowTest {
    private static final String OLD = "0".repeat(40);

    @Inject
    EventPublisher publisher;
    @Inject
    TriggerRepository repository;
    @Inject
    TriggerService service;

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
            assertEquals(Status.REFUSED, refused.status());
            assertTrue(refused.reason().startsWith("job DeployProd is not in the allow-list"), refused.reason());
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
    void droppedConnectionsAreRetriedAndStartOneBuild() throws Exception {
        String head = hash();
        JenkinsFakeResource.jenkins().http().faults().arm(Fault.reset(2).onPath("/job/GameBuild/buildWithParameters"));
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main", commit(head, "#jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.STARTED);
        }
        assertEquals(1, triggers("GameBuild", head).size());
        assertTrue(JenkinsFakeResource.jenkins().http().faults().armed().isEmpty(), "both connections were dropped");
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
    void anInterruptedTriggerIsFoundInJenkinsBehindMoreLaterBuildsThanTheRecentOnesChecked() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        String head = hash();
        // A crash after Jenkins accepted the trigger left the row CALLING; a busy job ran 25 more builds meanwhile.
        TriggerRow row = calling(head);
        List<Long> queued = new ArrayList<>();
        queued.add(jenkins.model().schedule(jenkins.model().job("GameBuild"), row.parameters(), Duration.ZERO, "Started remotely").item().id());
        for (int i = 0; i < 25; i++) {
            queued.add(jenkins.model().schedule(jenkins.model().job("GameBuild"), callingRow(hash()).parameters(), Duration.ZERO,
                    "Started remotely").item().id());
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> queued.stream().allMatch(id -> jenkins.model().queueItem(id).executable() != null));
        assertRedeliveryAdoptsTheBuild(head, "GameBuild", "#jenkins");
    }

    @Test
    void anInterruptedTriggerOfAJobThatDropsTheMarkerIsFoundByTheParametersTheJobKeeps() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        String head = hash();
        TriggerRow row = callingRow(head, "Folder/Narrow", "#jenkins:Folder/Narrow");
        assertTrue(repository.insertIfAbsent(row));
        // The interrupted call reached Jenkins, which kept the parameters Folder/Narrow declares and dropped the rest.
        long queueId = jenkins.model().schedule(jenkins.model().job("Folder/Narrow"), Map.of("BRANCH", "main", "COMMIT", head),
                Duration.ZERO, "Started remotely").item().id();
        await().atMost(5, TimeUnit.SECONDS).until(() -> jenkins.model().queueItem(queueId).executable() != null);
        assertRedeliveryAdoptsTheBuild(head, "Folder/Narrow", "#jenkins:Folder/Narrow");
    }

    /** The push delivered again: its CALLING row is recovered from what Jenkins has, with no build request of its own. */
    private void assertRedeliveryAdoptsTheBuild(String head, String job, String tag) throws Exception {
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "redelivered-" + head, "cred-a", "main", commit(head, tag)));
            BuildTriggerEvent adopted = awaitEvent(events, e -> e.commitHash().equals(head)
                    && (e.status() == Status.DEDUPLICATED || e.status() == Status.QUEUED));
            assertEquals(Status.DEDUPLICATED, adopted.status(), "adopted from Jenkins, not triggered again: " + adopted);
            assertEquals("found in Jenkins after an interrupted trigger", adopted.reason());
        }
        assertEquals(0, triggers(job, head).size(), "no build request of its own: " + triggers(job, head));
    }

    @Test
    void aPushHandledAgainWhileItsTriggerIsInFlightWaitsForThatCallAndStartsOneBuild() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        String head = hash();
        PushEvent push = push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main", commit(head, "#jenkins"));
        // Jenkins acts on the trigger only after 2 s (within the attempt timeout): meanwhile the row is CALLING and neither its
        // queue nor its builds show it.
        Duration latency = Duration.ofSeconds(2);
        jenkins.http().faults().arm(Fault.latency(latency, 1).onPath("/job/GameBuild/buildWithParameters"));
        Instant published;
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push);
            published = Instant.now();
            await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> state(head).equals("CALLING"));
            assertTrue(triggers("GameBuild", head).isEmpty(), "the first call is still in flight");
            // The same push handled a second time meanwhile, as when its partition passed to another consumer before its
            // offset was committed: it must wait for the call in flight, not recover the row and call Jenkins again.
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> service.onPush(push(JenkinsFakeResource.ENGINE,
                    "again-" + head, "cred-b", "main", push.changes().get(0).commits().toArray(Commit[]::new))));
            second.get(30, TimeUnit.SECONDS);
            assertEquals(1, triggers("GameBuild", head).size(), "the first call had reached Jenkins when the second one returned");
            BuildTriggerEvent deduplicated = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.DEDUPLICATED);
            assertTrue(List.of("queued", "started", "completed").stream().anyMatch(s -> deduplicated.reason().startsWith("already " + s)),
                    deduplicated.reason());
            awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.COMPLETED);
        }
        // Past the delayed request, whichever call it belonged to: every trigger sent has reached Jenkins by now.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), published.plus(latency).plusSeconds(1)).toMillis()));
        assertEquals(1, triggers("GameBuild", head).size(), "one build for the push handled twice at once");
    }

    @Test
    void aCallingRowOfAnotherInstanceIsRecoveredOnlyOnceItsClaimRunsOut() throws Exception {
        String head = hash();
        TriggerRow row = callingRow(head);
        String other = "build-trigger-" + UUID.randomUUID();
        Duration lease = Duration.ofSeconds(1);
        assertTrue(repository.insertIfAbsent(row, other, lease));
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "redelivered-" + head, "cred-a", "main", commit(head, "#jenkins")));
            // The other instance is alive and still calling: it renews its claim; nothing is sent meanwhile.
            Instant aliveUntil = Instant.now().plusSeconds(4);
            while (Instant.now().isBefore(aliveUntil)) {
                repository.renewClaims(List.of(row.id()), other, lease);
                Thread.sleep(200);
                assertTrue(triggers("GameBuild", head).isEmpty(), "triggered while another instance's call was in flight");
                assertEquals("CALLING", state(head));
            }
            // It died: once its claim has run out the row is recovered (Jenkins has nothing, so it is triggered).
            awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.QUEUED);
            awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.COMPLETED);
        }
        assertEquals(1, triggers("GameBuild", head).size(), "the dead instance's trigger was sent once");
    }

    @Test
    void aTriggerWhoseAnswerIsLostIsFoundInJenkinsNotPostedAgain() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        String waiting = hash();
        String started = hash();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            // Jenkins queues it, the answer never arrives; when the attempt times out the item still waits in the queue.
            jenkins.model().quietPeriod(Duration.ofSeconds(6));
            jenkins.http().faults().arm(Fault.lostResponse(Duration.ofSeconds(30), 1).onPath("/job/GameBuild/buildWithParameters"));
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + waiting, "cred-a", "main", commit(waiting, "#jenkins")));
            BuildTriggerEvent queued = awaitEvent(events, e -> e.commitHash().equals(waiting) && e.status() == Status.QUEUED);
            jenkins.model().quietPeriod(JenkinsFakeResource.QUIET_PERIOD);
            jenkins.model().startWaitingItems(); // rather than waiting out the rest of its quiet period
            awaitEvent(events, e -> e.commitHash().equals(waiting) && e.status() == Status.COMPLETED);
            assertEquals(triggers("GameBuild", waiting).get(0).queueId(), Long.valueOf(queued.queueUrl().replaceAll(".*/item/(\\d+)/$", "$1")),
                    "the queue item of the lost answer");

            // Again, but by the time the attempt times out the item has become a build.
            jenkins.http().faults().arm(Fault.lostResponse(Duration.ofSeconds(30), 1).onPath("/job/GameBuild/buildWithParameters"));
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + started, "cred-a", "main", commit(started, "#jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(started) && e.status() == Status.STARTED);
            awaitEvent(events, e -> e.commitHash().equals(started) && e.status() == Status.COMPLETED);
        } finally {
            jenkins.model().quietPeriod(JenkinsFakeResource.QUIET_PERIOD);
        }
        for (String head : List.of(waiting, started)) {
            assertEquals(1, triggers("GameBuild", head).size(), "one build request reached Jenkins");
            assertEquals(1, jenkins.http().requests().to("POST", "/job/GameBuild/buildWithParameters").stream()
                    .filter(r -> new String(r.request().body(), java.nio.charset.StandardCharsets.UTF_8).contains(head)).count(),
                    "the trigger was posted once; the retry found it in Jenkins");
        }
    }

    /**
     * PostgreSQL goes away while a build runs and stays away after it finished: the follower cannot read or record the
     * row meanwhile, and keeps trying; once the database is back the result is recorded and announced.
     */
    @Test
    void aBuildThatFinishesDuringADatabaseOutageIsRecordedOnceTheDatabaseIsBack() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        TcpRelay database = DatabaseRelayTestResource.relay();
        String head = hash();
        // Long enough that the database is cut before the build ends, however late a loaded machine records STARTED.
        Duration duration = Duration.ofSeconds(5);
        jenkins.model().buildDuration(duration);
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main", commit(head, "#jenkins")));
            BuildTriggerEvent started = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.STARTED);
            await().atMost(10, TimeUnit.SECONDS).until(() -> "STARTED".equals(storedState(head))); // recorded after the event
            database.cut();
            JenkinsBuild build = jenkins.model().build(jenkins.model().job("GameBuild"), started.buildNumber());
            await().atMost(10, TimeUnit.SECONDS).until(() -> System.currentTimeMillis() > build.startedAt() + duration.toMillis() + 500);
            assertEquals("STARTED", storedState(head), "nothing recorded while the database is away");

            database.restore();
            awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.COMPLETED);
        } finally {
            database.restore();
            jenkins.model().buildDuration(Duration.ZERO);
        }
        // Announced first, recorded after: the row follows the event.
        await().atMost(30, TimeUnit.SECONDS).until(() -> "COMPLETED".equals(state(head)));
    }

    /** The row's state read straight from PostgreSQL, not through the service's pool. */
    private static String storedState(String head) throws java.sql.SQLException {
        try (var connection = TestInfra.jdbc();
             var query = connection.prepareStatement("select state from build_trigger where commit_hash = ?")) {
            query.setString(1, head);
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : "";
            }
        }
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
        var cloud = BitbucketFakesResource.cloud();
        String head = cloud.branchTip("acme", "game", "main");
        String buildUrl;
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(BitbucketFakesResource.CLOUD_REPOSITORY, "delivery-" + head, BitbucketFakesResource.CLOUD_CREDENTIAL, "main",
                    commit(head, "GAME-7 #jenkins")));
            buildUrl = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.COMPLETED).buildUrl();
        }
        String statusPath = "/2.0/repositories/acme/game/commit/" + head + "/statuses/build";
        assertPostedStates(cloud.requests(), statusPath, 201, buildUrl, "refname", "main");
    }

    @Test
    void anExpiredCrumbIsFetchedAgainOnceAndStartsOneBuild() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        String first = hash();
        String second = hash();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.PASSWORD_REPO, "delivery-" + first, "cred-a", "main", commit(first, "#jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(first) && e.status() == Status.QUEUED);
            long crumbsBefore = crumbRequests();
            // The web session behind the client's crumb ends (session timeout, Jenkins restarted).
            jenkins.model().endEveryWebSession();
            publish(push(JenkinsFakeResource.PASSWORD_REPO, "delivery-" + second, "cred-a", "main", commit(second, "#jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(second) && e.status() == Status.QUEUED);
            assertEquals(crumbsBefore + 1, crumbRequests(), "one new crumb, fetched after the 403");
        }
        List<JenkinsTrigger> sent = triggers("GameBuild", second);
        assertEquals(List.of(403, 201), sent.stream().map(JenkinsTrigger::status).toList(),
                "the stale crumb is refused, the request with the new one starts the build");
        assertEquals(1, sent.stream().filter(t -> t.status() == 201).count());
        assertEquals(1, triggers("GameBuild", first).size(), "the first push needed no second crumb");
    }

    @Test
    void unauthorizedAndForbiddenAreNotRetriedAndRecordedWithJenkinsReason() throws Exception {
        JenkinsFake jenkins = JenkinsFakeResource.jenkins();
        for (int status : new int[] {401, 403}) {
            String head = hash();
            jenkins.http().faults().arm(Fault.status(status, 1).onPath("/job/GameBuild/buildWithParameters"));
            try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
                publish(push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main", commit(head, "#jenkins")));
                BuildTriggerEvent failed = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.FAILED);
                assertTrue(failed.reason().contains(status + " to POST") && failed.reason().contains("Injected fault " + status),
                        failed.reason());
            }
            assertEquals(1, jenkins.http().requests().all().stream()
                    .filter(r -> r.path().equals("/job/GameBuild/buildWithParameters") && r.status() == status).count(),
                    status + " is final, not retried");
            assertTrue(triggers("GameBuild", head).isEmpty(), "nothing reached Jenkins' build queue");
            given().auth().oauth2(TestTokens.viewer()).queryParam("commit", head).when().get("/api/triggers")
                    .then().log().ifValidationFails().statusCode(200).body("[0].state", equalTo("failed"));
        }
    }

    @Test
    void textThatIsNotATagStartsNothingAndRecordsNothing() throws Exception {
        String untagged = hash();
        String tagged = hash();
        int before = JenkinsFakeResource.jenkins().triggers().size();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + untagged, "cred-a", "main", commit(untagged,
                    "GAME-3 #circle issue#ci5 #ci5 #jenkinsfile http://example.com/#ci #jenkins:\n> #ci quoted\n   > #build quoted")));
            // Same repository, so the same partition: once this one is through, the first one was handled.
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + tagged, "cred-a", "main", commit(tagged, "GAME-3 #jenkins")));
            awaitEvent(events, e -> e.commitHash().equals(tagged) && e.status() == Status.QUEUED);
            awaitEvent(events, e -> e.commitHash().equals(tagged) && e.status() == Status.COMPLETED);
        }
        assertEquals(before + 1, JenkinsFakeResource.jenkins().triggers().size(), "only the tagged push built");
        given().auth().oauth2(TestTokens.viewer()).queryParam("commit", untagged).when().get("/api/triggers")
                .then().log().ifValidationFails().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void skipCiOnTheHeadStartsOnlyTheNamedJob() throws Exception {
        String head = hash();
        String earlier = hash();
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(JenkinsFakeResource.ENGINE, "delivery-" + head, "cred-a", "main",
                    commit(head, "GAME-4 docs [skip ci]"), commit(earlier, "GAME-4 #ci #jenkins #jenkins:Folder/Sub/Job")));
            awaitEvent(events, e -> e.commitHash().equals(head) && e.job().equals("Folder/Sub/Job") && e.status() == Status.COMPLETED);
        }
        assertTrue(triggers("GameBuild", head).isEmpty());
        assertTrue(triggers("ci-default", head).isEmpty());
        given().auth().oauth2(TestTokens.viewer()).queryParam("commit", head).when().get("/api/triggers")
                .then().log().ifValidationFails().statusCode(200).body("size()", equalTo(1)).body("[0].job", equalTo("Folder/Sub/Job"));
    }

    @Test
    void theBuildStateIsWrittenBackToABitbucketServerCommit() throws Exception {
        var server = BitbucketFakesResource.server();
        String head = server.commitFiles("OPS", "platform", "main", Map.of("build.txt", "GAME-8\n"), "GAME-8 #jenkins", "sandbox");
        String buildUrl;
        try (TopicTail events = TopicTail.from(publisher.topic(EventType.BUILD_TRIGGER))) {
            publish(push(BitbucketFakesResource.serverRepository(), "delivery-" + head, BitbucketFakesResource.SERVER_CREDENTIAL,
                    "main", commit(head, "GAME-8 #jenkins")));
            buildUrl = awaitEvent(events, e -> e.commitHash().equals(head) && e.status() == Status.COMPLETED).buildUrl();
        }
        String statusPath = "/rest/api/latest/projects/OPS/repos/platform/commits/" + head + "/builds";
        assertPostedStates(server.http().requests(), statusPath, 204, buildUrl, "ref", "refs/heads/main");
        var stored = server.buildStatuses().stream().filter(s -> s.path("commitId").asText().equals(head)).toList();
        assertEquals(1, stored.size(), "one status under its key, moved on");
        assertEquals("SUCCESSFUL", stored.get(0).path("state").asText());
        assertEquals("Bearer " + io.bitbridge.fakes.server.BitbucketServerFake.SANDBOX_TOKEN,
                server.http().requests().to("POST", statusPath).get(0).request().header("Authorization"));
    }

    /** Two statuses posted under the job's key with the build URL: INPROGRESS, then SUCCESSFUL, each answered {@code status}. */
    private static void assertPostedStates(io.bitbridge.fakes.common.RequestRecorder requests, String path, int status, String buildUrl,
                                           String refField, String ref) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> requests.to("POST", path).size() == 2);
        List<String> states = requests.to("POST", path).stream()
                .map(r -> io.bitbridge.fakes.common.FakeJson.parse(r.request().body())).peek(body -> {
                    assertEquals(buildUrl, body.path("url").asText());
                    assertEquals("BITBRIDGE-GameBuild", body.path("key").asText());
                    assertEquals(ref, body.path(refField).asText());
                })
                .map(body -> body.path("state").asText()).toList();
        assertEquals(List.of("INPROGRESS", "SUCCESSFUL"), states);
        assertEquals(List.of(status, status), requests.to("POST", path).stream().map(r -> r.status()).toList());
    }

    private long crumbRequests() {
        return JenkinsFakeResource.jenkins().http().requests().all().stream().filter(r -> r.path().equals("/crumbIssuer/api/json")).count();
    }

    private TriggerRow calling(String head) {
        TriggerRow row = callingRow(head);
        assertTrue(repository.insertIfAbsent(row));
        return row;
    }

    private String state(String head) {
        return repository.find(JenkinsFakeResource.ENGINE, head, "GameBuild", 1).stream().map(r -> r.state().name()).findFirst().orElse("");
    }

    private static TriggerRow callingRow(String head) {
        return callingRow(head, "GameBuild", "#jenkins");
    }

    private static TriggerRow callingRow(String head, String job, String tag) {
        Map<String, String> parameters = Map.of("BITBUCKET_REPOSITORY", JenkinsFakeResource.ENGINE, "BRANCH", "main", "COMMIT", head,
                "TRIGGERED_BY", head + " " + tag, "TASK_KEYS", "");
        Instant now = Instant.now();
        TriggerRow row = new TriggerRow(UUID.randomUUID(), JenkinsFakeResource.ENGINE, "main", head, job, "ci", tag, head,
                parameters, TriggerRow.State.CALLING, null, null, null, null, null, 0, "cred-a", "delivery-" + head, now, now,
                new TriggerRow.StatusTarget("game", "engine", RefType.BRANCH));
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
        return push(RepositoryRef.of(Provider.BITBUCKET_CLOUD, parts[0], parts[1], parts[2], parts[2], null, List.of()), deliveryId,
                credentialId, branch, commits);
    }

    private static PushEvent push(RepositoryRef repository, String deliveryId, String credentialId, String branch, Commit... commits) {
        RefChange change = new RefChange(RefType.BRANCH, branch, OLD, commits[0].hash(), false, false, false, List.of(commits), false, true);
        return new PushEvent(deliveryId, 1, repository.provider(), credentialId,
                repository.provider() == Provider.BITBUCKET_CLOUD ? "repo:push" : "repo:refs_changed", repository, Person.unknown(),
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
