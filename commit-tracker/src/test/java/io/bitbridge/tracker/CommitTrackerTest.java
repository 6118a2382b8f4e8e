package io.bitbridge.tracker;

import io.bitbridge.common.messaging.DeadLetterQueue;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Commit;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PullRequest;
import io.bitbridge.events.PullRequestAction;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PullRequestState;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.ReviewStatus;
import io.bitbridge.events.TaskLinkEvent;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.ServiceContractTests;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tracker over the real broker and PostgreSQL: events in on its topics, rows checked through the API, task links
 * read from {@code tasks.links.v1}, absence proven with TopicTail's sentinel.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CommitTrackerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Person ALICE = new Person("Alice Archer", "alice", "alice@acme.test", "557058:alice", "Alice Archer <alice@acme.test>");
    private static final Person BOB = new Person(null, null, "bob@acme.test", null, "Bob <bob@acme.test>");
    private static final Person BOB_ACCOUNT = new Person("Bob Baker", "bob", null, "557058:bob", null);

    @Inject
    EventPublisher publisher;
    @Inject
    DeadLetterQueue deadLetters;

    @Test
    void aPushIsStoredOnceWithEveryBranchAndPublishesEachNewTaskLinkOnce() {
        RepositoryRef repo = repository();
        String first = hash("a1");
        String second = hash("a2");
        Commit fix = commit(first, "GAME-12 add the x\n\nsee https://jira.acme.test/browse/GAME-99", ALICE, T0, List.of("src/x.c"));
        Commit tidy = commit(second, "OPS2-5 tidy for GAME-12 and GAME-12 again", BOB, T0.plusSeconds(60), List.of("README.md"));
        PushEvent push = push(repo, T0.plusSeconds(120),
                change("feature/GAME-12-x", null, second, true, false, false, List.of(tidy, fix)),
                change("main", hash("00"), second, false, false, false, List.of(tidy, fix)));

        try (TopicTail links = TopicTail.from(publisher.topic(EventType.TASK_LINK))) {
            publish(push);
            List<TaskLinkEvent> published = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ConsumerRecord<byte[], byte[]> record = links.await(r -> repo.key().equals(EventJson.fromBytes(r.value(), TaskLinkEvent.class).repositoryKey()));
                TaskLinkEvent link = EventJson.fromBytes(record.value(), TaskLinkEvent.class);
                assertEquals(link.taskId(), new String(record.key(), StandardCharsets.UTF_8), "keyed by task key");
                assertEquals(link.linkId(), CloudEventHeaders.read(record.headers()).orElseThrow().id());
                published.add(link);
            }
            assertEquals(Set.of("GAME-12 BRANCH feature/GAME-12-x", "GAME-12 COMMIT " + first, "GAME-12 COMMIT " + second, "OPS2-5 COMMIT " + second),
                    new TreeSet<>(published.stream().map(l -> l.taskId() + " " + l.target() + " " + l.reference()).toList()));

            publish(push);   // redelivery: same delivery id
            publish(new PushEvent("another-" + push.deliveryId(), 1, push.provider(), push.credentialId(), push.eventKey(),
                    repo, push.actor(), push.changes(), push.receivedAt().plusSeconds(5)));
            awaitProcessed(repo);
            links.assertNothingElse();
        }

        viewer().get("/api/commits/" + repo.key() + "/" + first).then().statusCode(200)
                .body("message", equalTo(fix.message()))
                .body("author.email", equalTo("alice@acme.test"))
                .body("author.accountId", equalTo("557058:alice"))
                .body("branches", contains("feature/GAME-12-x", "main"))
                .body("paths", contains("src/x.c"))
                .body("firstDeliveryId", equalTo(push.deliveryId()));
        viewer().get(repoPath(repo, "commits") + "?branch=main").then().statusCode(200)
                .body("items.hash", contains(second, first));
        viewer().get(repoPath(repo, "commits") + "?author=bob@acme.test").then().statusCode(200)
                .body("items.hash", contains(second));
        viewer().get(repoPath(repo, "commits") + "?since=2026-03-02T09:00:30Z").then().statusCode(200)
                .body("items.hash", contains(second));
        viewer().get(repoPath(repo, "branches")).then().statusCode(200)
                .body("items.name", contains("feature/GAME-12-x", "main"))
                .body("items[0].head", equalTo(second));
        viewer().get(repoPath(repo, "members")).then().statusCode(200)
                .body("items.identity", contains("account:557058:alice", "email:bob@acme.test"))
                .body("items[0].aliases", hasItem("alice"));
        viewer().get("/api/tasks/GAME-12").then().statusCode(200)
                .body("links.findAll { it.repositoryKey == '" + repo.key() + "' }", hasSize(3));
        viewer().get("/api/tasks?project=OPS2").then().statusCode(200)
                .body("items.key", contains("OPS2-5"));
        viewer().get("/api/tasks/GAME-99").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anOlderPullRequestUpdateArrivingAfterTheMergeNeverReopensIt() {
        RepositoryRef repo = repository();
        String fork = "bitbucket-cloud:bitbucket.org/someone/game-fork";
        publish(push(repo, T0, change("feature/GAME-77-speed", null, hash("b1"), true, false, false, List.of())));
        awaitProcessed(repo);   // the merge marks the branch, which the other topic's consumer stores
        PullRequest opened = pullRequest(7, PullRequestState.OPEN, null, repo.key(), T0.plusSeconds(10));
        PullRequest updated = pullRequest(7, PullRequestState.OPEN, null, repo.key(), T0.plusSeconds(20));
        PullRequest merged = pullRequest(7, PullRequestState.MERGED, hash("c1"), repo.key(), T0.plusSeconds(30));

        try (TopicTail links = TopicTail.from(publisher.topic(EventType.TASK_LINK))) {
            publish(pullRequestEvent(repo, PullRequestAction.OPENED, opened, ALICE));
            publish(pullRequestEvent(repo, PullRequestAction.MERGED, merged, BOB));
            publish(pullRequestEvent(repo, PullRequestAction.UPDATED, updated, ALICE));
            publish(pullRequestEvent(repo, PullRequestAction.OPENED, pullRequest(8, PullRequestState.OPEN, null, fork, T0), ALICE));
            TaskLinkEvent link = EventJson.fromBytes(links.await(r -> repo.key().equals(EventJson.fromBytes(r.value(), TaskLinkEvent.class).repositoryKey())
                    && EventJson.fromBytes(r.value(), TaskLinkEvent.class).target() == TaskLinkEvent.Target.PULL_REQUEST).value(), TaskLinkEvent.class);
            assertEquals("GAME-77", link.taskId());
            await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "pullrequests")).then().statusCode(200)
                    .body("items.id", hasItem(8)).body("items.id", hasItem(7)));
            await().atMost(WAIT).untilAsserted(() -> viewer().get("/api/pullrequests/" + repo.key() + "/7").then()
                    .body("history", hasSize(3)));
        }

        viewer().get("/api/pullrequests/" + repo.key() + "/7").then().statusCode(200)
                .body("state", equalTo("MERGED"))
                .body("mergeCommit", equalTo(hash("c1")))
                .body("fork", equalTo(false))
                .body("history.action", contains("OPENED", "UPDATED", "MERGED"))
                .body("history.actor.name", contains("Alice Archer", "Alice Archer", "Bob"));
        viewer().get("/api/pullrequests/" + repo.key() + "/8").then().statusCode(200).body("fork", equalTo(true));
        viewer().get(repoPath(repo, "pullrequests") + "?state=MERGED").then().statusCode(200).body("items.id", contains(7));
        viewer().get(repoPath(repo, "branches")).then().statusCode(200)
                .body("items[0].mergedByPullRequest", equalTo(7));

        // The merge of a branch whose push is stored after it still marks the branch.
        publish(pullRequestEvent(repo, PullRequestAction.MERGED, new PullRequest(9, "late", null, PullRequestState.MERGED, "MERGED", BOB,
                new PullRequest.Endpoint(repo.key(), "late", hash("e9")), new PullRequest.Endpoint(null, "main", hash("b0")), hash("e8"),
                List.of(), T0, T0.plusSeconds(40)), BOB));
        await().atMost(WAIT).untilAsserted(() -> viewer().get("/api/pullrequests/" + repo.key() + "/9").then().statusCode(200));
        publish(push(repo, T0.plusSeconds(5), change("late", null, hash("e9"), true, false, false, List.of())));
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "branches")).then().statusCode(200)
                .body("items.find { it.name == 'late' }.mergedByPullRequest", equalTo(9)));
    }

    @Test
    void aKeyOnlyInThePullRequestsDescriptionIsLinkedAsFoundThere() {
        RepositoryRef repo = repository();
        PullRequest pr = new PullRequest(31, "Faster level loading", "Fixes DESC-12.\nAlso see DESC-13 and https://jira.acme.test/DESC-14",
                PullRequestState.OPEN, "OPEN", ALICE, new PullRequest.Endpoint(repo.key(), "speed", hash("a31")),
                new PullRequest.Endpoint(null, "main", hash("b0")), null, List.of(), T0, T0);
        try (TopicTail links = TopicTail.from(publisher.topic(EventType.TASK_LINK))) {
            publish(pullRequestEvent(repo, PullRequestAction.OPENED, pr, ALICE));
            Set<String> found = new TreeSet<>();
            for (int i = 0; i < 2; i++) {
                TaskLinkEvent link = EventJson.fromBytes(links.await(r -> repo.key().equals(EventJson.fromBytes(r.value(),
                        TaskLinkEvent.class).repositoryKey())).value(), TaskLinkEvent.class);
                found.add(link.taskId() + " " + link.target() + " " + link.reference());
            }
            assertEquals(Set.of("DESC-12 PULL_REQUEST 31", "DESC-13 PULL_REQUEST 31"), found);
            links.assertNothingElse();
        }
        viewer().get("/api/tasks/DESC-12").then().statusCode(200)
                .body("links.foundIn", contains("PULL_REQUEST_DESCRIPTION"))
                .body("links.title", contains("Faster level loading"));
        viewer().get("/api/tasks/DESC-14").then().statusCode(404);
    }

    @Test
    void aBranchDeleteArrivingBeforeAnOlderUpdateStaysDeletedAndAForcedUpdateIsCounted() {
        RepositoryRef repo = repository();
        publish(push(repo, T0, change("topic", null, hash("d1"), true, false, false, List.of())));
        publish(push(repo, T0.plusSeconds(30), change("topic", hash("d2"), null, false, true, false, List.of())));
        publish(push(repo, T0.plusSeconds(20), change("topic", hash("d1"), hash("d2"), false, false, true, List.of())));
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "branches")).then().statusCode(200)
                .body("items[0].forcedUpdates", equalTo(1)));
        viewer().get(repoPath(repo, "branches")).then()
                .body("items[0].head", nullValue())
                .body("items[0].deletedAt", equalTo("2026-03-02T09:00:30Z"))
                .body("items[0].createdAt", equalTo("2026-03-02T09:00:00Z"));
    }

    @Test
    void anIncompletePushIsCompletedByTheLaterCompleteOne() {
        RepositoryRef repo = repository();
        Commit bare = commit(hash("e1"), "first", ALICE, T0, List.of());
        PushEvent incomplete = push(repo, T0, new RefChange(RefType.BRANCH, "main", hash("e0"), hash("e2"), false, false, false,
                List.of(bare), true, false));
        publish(incomplete);
        awaitProcessed(repo);
        viewer().get("/api/commits/" + repo.key() + "/" + hash("e1")).then().statusCode(200).body("paths", hasSize(0));

        PushEvent complete = push(repo, T0.plusSeconds(1), new RefChange(RefType.BRANCH, "main", hash("e0"), hash("e2"), false, false, false,
                List.of(commit(hash("e2"), "second", ALICE, T0.plusSeconds(1), List.of("b.txt")), commit(hash("e1"), "first", ALICE, T0, List.of("a.txt"))),
                false, true));
        publish(complete);
        await().atMost(WAIT).untilAsserted(() -> viewer().get("/api/commits/" + repo.key() + "/" + hash("e1")).then()
                .statusCode(200).body("paths", contains("a.txt")).body("firstDeliveryId", equalTo(incomplete.deliveryId())));
        viewer().get(repoPath(repo, "commits") + "?limit=1").then().statusCode(200)
                .body("items.hash", contains(hash("e2")));
        String cursor = viewer().get(repoPath(repo, "commits") + "?limit=1").then().extract().path("nextCursor");
        viewer().get(repoPath(repo, "commits") + "?limit=1&cursor=" + cursor).then().statusCode(200)
                .body("items.hash", contains(hash("e1")))
                .body("nextCursor", nullValue());
    }

    @Test
    void anIncompletePushIsCompletedByTheSameDeliveryExpandedLaterWithTheChangesPaths() {
        RepositoryRef repo = repository();
        Commit only = new Commit(hash("d8"), "GAME-21 one commit", ALICE, T0, List.of(hash("d7")), List.of());
        RefChange asDelivered = new RefChange(RefType.BRANCH, "main", hash("d7"), hash("d8"), false, false, false, List.of(only),
                false, false, null, "credential credential-1 is down and needs reconnecting");
        PushEvent incomplete = push(repo, T0, asDelivered);
        publish(incomplete);
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "branches")).then().statusCode(200)
                .body("items[0].incompleteUpdates", equalTo(1)));
        viewer().get("/api/commits/" + repo.key() + "/" + hash("d8")).then().statusCode(200).body("paths", hasSize(0));

        // The same delivery, expanded once the credential is back: the change's paths are the one commit's paths.
        PushEvent expanded = new PushEvent(incomplete.deliveryId(), 2, incomplete.provider(), incomplete.credentialId(),
                incomplete.eventKey(), repo, incomplete.actor(), List.of(asDelivered.expanded(List.of(only), true,
                List.of("docs/a.md", "src/b.c"), null)), incomplete.receivedAt());
        publish(expanded);
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "branches")).then().statusCode(200)
                .body("items[0].incompleteUpdates", equalTo(0)));
        viewer().get("/api/commits/" + repo.key() + "/" + hash("d8")).then().statusCode(200)
                .body("paths", contains("docs/a.md", "src/b.c"));
    }

    @Test
    void anEmailOnlyAuthorIsMergedIntoTheAccountThatLaterShowsTheSameAddress() {
        RepositoryRef repo = repository();
        String address = "carol." + UUID.randomUUID().toString().substring(0, 6) + "@acme.test";
        Person emailOnly = new Person(null, null, address.toUpperCase(java.util.Locale.ROOT), null, "Carol <" + address + ">");
        Person account = new Person("Carol Cole", "carol", address, "557058:carol-" + address, null);
        publish(push(repo, T0, change("main", null, hash("c1"), true, false, false,
                List.of(commit(hash("c1"), "first", emailOnly, T0, List.of())))));
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "members")).then().statusCode(200)
                .body("items.identity", hasItem("email:" + address)));

        publish(push(repo, T0.plusSeconds(3600), change("main", hash("c1"), hash("c2"), false, false, false,
                List.of(commit(hash("c2"), "second", account, T0.plusSeconds(3600), List.of())))));
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "members")).then().statusCode(200)
                .body("items.findAll { it.identity.contains('carol') }.identity", contains("account:" + account.accountId())));
        viewer().get(repoPath(repo, "members")).then()
                .body("items.find { it.identity.contains('carol') }.firstActivity", equalTo("2026-03-02T09:00:00Z"))
                .body("items.find { it.identity.contains('carol') }.lastActivity", equalTo("2026-03-02T10:00:00Z"))
                .body("items.find { it.identity.contains('carol') }.aliases", hasItem(address.toUpperCase(java.util.Locale.ROOT)));

        // Once the address is known, an e-mail-only author with it is the account's person at once.
        publish(push(repo, T0.plusSeconds(7200), change("main", hash("c2"), hash("c3"), false, false, false,
                List.of(commit(hash("c3"), "third", emailOnly, T0.plusSeconds(7200), List.of())))));
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "members")).then().statusCode(200)
                .body("items.find { it.identity.contains('carol') }.lastActivity", equalTo("2026-03-02T11:00:00Z")));
        viewer().get(repoPath(repo, "members")).then()
                .body("items.findAll { it.identity.contains('carol') }.identity", contains("account:" + account.accountId()));
    }

    @Test
    void reviewersKeepTheStatusOfTheNewestDeliveryWhateverOrderTheyArriveIn() {
        RepositoryRef repo = repository();
        Person carol = new Person("Carol Cole", "carol", null, "557058:carol", null);
        PullRequest opened = withReviewers(pullRequest(21, PullRequestState.OPEN, null, repo.key(), T0),
                new PullRequest.Reviewer(BOB_ACCOUNT, ReviewStatus.UNAPPROVED, false));
        PullRequest changesRequested = withReviewers(pullRequest(21, PullRequestState.OPEN, null, repo.key(), T0.plusSeconds(5)),
                new PullRequest.Reviewer(BOB_ACCOUNT, ReviewStatus.CHANGES_REQUESTED, false));
        PullRequest approved = withReviewers(pullRequest(21, PullRequestState.OPEN, null, repo.key(), T0.plusSeconds(10)),
                new PullRequest.Reviewer(BOB_ACCOUNT, ReviewStatus.APPROVED, true), new PullRequest.Reviewer(carol, ReviewStatus.UNAPPROVED, false));
        publish(pullRequestEvent(repo, PullRequestAction.OPENED, opened, ALICE));
        publish(pullRequestEvent(repo, PullRequestAction.APPROVED, approved, BOB_ACCOUNT));
        publish(pullRequestEvent(repo, PullRequestAction.CHANGES_REQUESTED, changesRequested, BOB_ACCOUNT));   // late
        await().atMost(WAIT).untilAsserted(() -> viewer().get("/api/pullrequests/" + repo.key() + "/21").then().statusCode(200)
                .body("history", hasSize(3)));
        viewer().get("/api/pullrequests/" + repo.key() + "/21").then()
                .body("reviewers.identity", contains("account:557058:bob", "account:557058:carol"))
                .body("reviewers.status", contains("APPROVED", "UNAPPROVED"))
                .body("reviewers.approved", contains(true, false))
                .body("history.action", contains("OPENED", "CHANGES_REQUESTED", "APPROVED"))
                .body("history.actor.name", contains("Alice Archer", "Bob Baker", "Bob Baker"));

        // A newer list without Bob: he is no longer a reviewer.
        PullRequest reassigned = withReviewers(pullRequest(21, PullRequestState.OPEN, null, repo.key(), T0.plusSeconds(20)),
                new PullRequest.Reviewer(carol, ReviewStatus.CHANGES_REQUESTED, false));
        publish(pullRequestEvent(repo, PullRequestAction.REVIEWERS_UPDATED, reassigned, ALICE));
        await().atMost(WAIT).untilAsserted(() -> viewer().get("/api/pullrequests/" + repo.key() + "/21").then()
                .body("reviewers.identity", contains("account:557058:carol"))
                .body("reviewers.status", contains("CHANGES_REQUESTED")));
    }

    @Test
    void unknownKeysAndBadParametersAnswerProblems() {
        RepositoryRef repo = repository();
        publish(push(repo, T0, change("main", null, hash("f1"), true, false, false, List.of(commit(hash("f1"), "x", ALICE, T0, List.of())))));
        awaitProcessed(repo);
        problem(viewer().get(repoPath(repository(), "commits")).then(), 404, "repository-not-found");
        problem(viewer().get("/api/commits/" + repo.key() + "/" + hash("ff")).then(), 404, "commit-not-found");
        problem(viewer().get("/api/pullrequests/" + repo.key() + "/99").then(), 404, "pull-request-not-found");
        problem(viewer().get(repoPath(repo, "commits") + "?limit=500").then(), 400, null);
        problem(viewer().get(repoPath(repo, "commits") + "?cursor=nonsense").then(), 400, "invalid-cursor");
        problem(viewer().get(repoPath(repo, "commits") + "?since=monday").then(), 400, "invalid-parameter");
        given().get(repoPath(repo, "commits")).then().statusCode(401);
    }

    @Test
    void aPoisonEventIsDeadLetteredAndTheEventsAfterItAreStored() {
        RepositoryRef repo = repository();
        PushEvent poison = push(repo, T0, change("main", null, hash("90"), true, false, false,
                List.of(commit(hash("90"), "a NUL \u0000 PostgreSQL cannot store", ALICE, T0, List.of()))));
        PushEvent after = push(repo, T0.plusSeconds(1), change("next", null, hash("91"), true, false, false, List.of()));
        try (TopicTail dead = TopicTail.from(deadLetters.topicFor(publisher.topic(EventType.PUSH_EXPANDED)))) {
            publish(poison);
            publish(after);
            ConsumerRecord<byte[], byte[]> record = dead.await(r -> poison.deliveryId().equals(CloudEventHeaders.read(r.headers()).orElseThrow().id()));
            assertEquals("3", new String(record.headers().lastHeader(DeadLetterQueue.ATTEMPTS).value(), StandardCharsets.UTF_8));
            await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "branches")).then().statusCode(200)
                    .body("items.name", contains("next")));
            dead.assertNothingElse();
        }
    }

    @Test
    void replayingBothTopicsFromTheBeginningChangesNoRowAndPublishesNothing() throws Exception {
        RepositoryRef repo = repository();
        try (TopicTail links = TopicTail.from(publisher.topic(EventType.TASK_LINK))) {
            publish(push(repo, T0, change("feature/GAME-5-r", null, hash("71"), true, false, false,
                    List.of(commit(hash("71"), "GAME-5 replayed", ALICE, T0, List.of("r.txt"))))));
            publish(pullRequestEvent(repo, PullRequestAction.MERGED, pullRequest(3, PullRequestState.MERGED, hash("72"), repo.key(), T0), BOB));
            for (String expected : List.of("GAME-5 BRANCH", "GAME-5 COMMIT", "GAME-77 PULL_REQUEST")) {
                links.await(r -> {
                    TaskLinkEvent link = EventJson.fromBytes(r.value(), TaskLinkEvent.class);
                    return repo.key().equals(link.repositoryKey()) && expected.equals(link.taskId() + " " + link.target());
                });
            }
            String before = snapshot(repo);

            int replayed = replay(publisher.topic(EventType.PUSH_EXPANDED)) + replay(publisher.topic(EventType.PULL_REQUEST));
            // Markers after the replay, on the same partitions (same repository key): once they are stored, the replay is too.
            publish(pullRequestEvent(repo, PullRequestAction.OPENED,
                    new PullRequest(4, "marker", null, PullRequestState.OPEN, "OPEN", BOB, new PullRequest.Endpoint(repo.key(), "marker", hash("73")),
                            new PullRequest.Endpoint(null, "main", hash("b0")), null, List.of(), T0, T0), BOB));
            publish(push(repo, T0, change("marker", null, hash("73"), true, false, false, List.of())));
            await().atMost(WAIT).untilAsserted(() -> viewer().get("/api/pullrequests/" + repo.key() + "/4").then().statusCode(200));
            await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "branches")).then().body("items.name", hasItem("marker")));
            links.assertNothingElse();
            assertEquals(true, replayed >= 2, "replayed " + replayed);
            assertEquals(before, snapshot(repo));
        }
    }

    /** Every API view of the repository's pre-marker history, as JSON text. */
    private String snapshot(RepositoryRef repo) {
        return String.join("\n",
                viewer().get(repoPath(repo, "commits")).then().statusCode(200).extract().asString(),
                viewer().get(repoPath(repo, "branches")).then().statusCode(200).extract().asString()
                        .replaceAll(",?\\{\"name\":\"marker\"[^}]*}", ""),
                viewer().get("/api/pullrequests/" + repo.key() + "/3").then().statusCode(200).extract().asString(),
                viewer().get(repoPath(repo, "members")).then().statusCode(200).extract().asString(),
                viewer().get("/api/tasks/GAME-5").then().statusCode(200).extract().asString());
    }

    /** Copies every record of {@code topic} onto its end, headers and keys unchanged: a full replay. */
    private static int replay(String topic) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.kafkaBootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> record : all) {
                producer.send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value(), record.headers())).get(30, TimeUnit.SECONDS);
            }
        }
        return all.size();
    }

    private static void problem(ValidatableResponse response, int status, String slug) {
        response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
        if (slug != null) {
            response.body("type", equalTo("https://bitbridge.io/problems/" + slug));
        }
    }

    /** Waits until the repository is known to the API (its first event was stored). */
    private static void awaitProcessed(RepositoryRef repo) {
        await().atMost(WAIT).untilAsserted(() -> viewer().get(repoPath(repo, "branches")).then().statusCode(200));
    }

    private void publish(PushEvent event) {
        send(EventType.PUSH_EXPANDED, event.repository().key(), event.deliveryId(), event);
    }

    private void publish(PullRequestEvent event) {
        send(EventType.PULL_REQUEST, event.repository().key(), event.deliveryId(), event);
    }

    private void send(EventType type, String key, String id, Record event) {
        TestEvents.send(publisher, type, key, id, event);
    }

    private static io.restassured.specification.RequestSpecification viewer() {
        return given().auth().oauth2(TestTokens.viewer());
    }

    private static String repoPath(RepositoryRef repo, String what) {
        return "/api/repositories/" + repo.key() + "/" + what;
    }

    private static RepositoryRef repository() {
        return RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", "acme", "game-" + UUID.randomUUID().toString().substring(0, 8),
                "game", null, List.of());
    }

    private static String hash(String prefix) {
        return (prefix + "0".repeat(40)).substring(0, 40);
    }

    private static Commit commit(String hash, String message, Person author, Instant date, List<String> paths) {
        return new Commit(hash, message, author, date, List.of(hash("99")), paths);
    }

    private static RefChange change(String branch, String oldHash, String newHash, boolean created, boolean deleted, boolean forced,
                                    List<Commit> commits) {
        return new RefChange(RefType.BRANCH, branch, oldHash, newHash, created, deleted, forced, commits, false, true);
    }

    private static PushEvent push(RepositoryRef repo, Instant receivedAt, RefChange... changes) {
        return new PushEvent(UUID.randomUUID().toString(), 1, Provider.BITBUCKET_CLOUD, "credential-1", "repo:push", repo, ALICE,
                List.of(changes), receivedAt);
    }

    private static PullRequest pullRequest(long id, PullRequestState state, String mergeCommit, String sourceRepositoryKey, Instant updatedAt) {
        return new PullRequest(id, "GAME-77 faster loading", "Makes GAME-77 faster; see https://acme.test/GAME-1", state, state.name(),
                ALICE, new PullRequest.Endpoint(sourceRepositoryKey, "feature/GAME-77-speed", hash("b1")),
                new PullRequest.Endpoint(null, "main", hash("b0")), mergeCommit, List.of(), T0, updatedAt);
    }

    private static PullRequest withReviewers(PullRequest pr, PullRequest.Reviewer... reviewers) {
        return new PullRequest(pr.id(), pr.title(), pr.description(), pr.state(), pr.rawState(), pr.author(), pr.source(),
                pr.destination(), pr.mergeCommit(), List.of(reviewers), pr.createdAt(), pr.updatedAt());
    }

    private static PullRequestEvent pullRequestEvent(RepositoryRef repo, PullRequestAction action, PullRequest pr, Person actor) {
        return new PullRequestEvent(UUID.randomUUID().toString(), 1, Provider.BITBUCKET_CLOUD, "credential-1",
                "pullrequest:" + action.name().toLowerCase(), action, repo, actor, pr, T0);
    }

    /**
     * What every Bitbridge service promises ({@link ServiceContractTests}), checked on this class's running service
     * rather than on one started for a class of its own.
     */
    @Nested
    class ServiceContract extends ServiceContractTests {
    }
}
