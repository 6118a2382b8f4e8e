package io.bitbridge.gitops;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.bitbucket.cloud.CloudSourceFiles;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.BitbucketEndpoints;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Commit;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.GitOpsCommitRequest;
import io.bitbridge.events.GitOpsCommitResult;
import io.bitbridge.events.GitOpsSyncEvent;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.Topics;
import io.bitbridge.gitops.support.GitOpsFakes;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.ServiceContractTests;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gitops-writer against the Bitbucket Cloud fake (real git repositories behind {@code /src}, 409 when parents ≠ head),
 * the real broker and PostgreSQL: targets, atomic commits, concurrent writers, bounded conflicts, idempotent replay
 * over the API and the topic, and sync-back without echo.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = GitOpsFakes.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class GitOpsWriterTest {
    private static final String WS = "acme";
    private static final String REPO = "infra";
    private static final String BRANCH = "main";

    @Inject
    EventPublisher publisher;

    @Test
    void targetsAreCreatedReadChangedAndDeletedAndAttachingRegistersTheWebhook() {
        String id = createTarget("prod", "crud1", null);
        given().auth().oauth2(TestTokens.viewer()).get("/api/targets/" + id).then().statusCode(200)
                .body("path", equalTo("clusters/prod-crud1/"))
                .body("repository", equalTo("acme/infra"))
                .body("webhook", equalTo("registered"));
        assertTrue(GitOpsFakes.registrations().contains(GitOpsFakes.CREDENTIAL_ID + " acme/infra"));

        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clusterName", "prod", "clusterId", "crud1", "credentialId", GitOpsFakes.CREDENTIAL_ID,
                        "repository", "acme/infra", "branch", "main", "path", "/elsewhere/prod/"))
                .put("/api/targets/" + id).then().statusCode(200).body("path", equalTo("elsewhere/prod/"));
        given().auth().oauth2(TestTokens.viewer()).get("/api/targets").then().statusCode(200).body("id", hasItem(id));

        // the same cluster twice, a bad body, a viewer writing, an unknown id
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(targetBody("prod", "crud1", null))
                .post("/api/targets").then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clusterName", "", "clusterId", "x", "credentialId", "c", "repository", "no-slash", "branch", "main",
                        "path", "../up"))
                .post("/api/targets").then().statusCode(400).contentType("application/problem+json")
                .body(containsString("repository")).body(containsString("clusterName")).body(containsString("path"));
        given().auth().oauth2(TestTokens.viewer()).contentType(ContentType.JSON).body(targetBody("prod", "crud2", null))
                .post("/api/targets").then().statusCode(403);
        given().auth().oauth2(TestTokens.viewer()).get("/api/targets/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");

        given().auth().oauth2(TestTokens.admin()).delete("/api/targets/" + id).then().statusCode(204);
        given().auth().oauth2(TestTokens.viewer()).get("/api/targets/" + id).then().statusCode(404);
    }

    @Test
    void twentyFilesLandAsOneCommitAndAReplayReturnsTheFirstResult() throws Exception {
        String id = createTarget("prod", "twenty", null);
        Map<String, String> files = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            files.put("apps/app-" + i + "/values.yaml", "replicas: " + i + "\n");
        }
        String before = head();
        try (TopicTail results = TopicTail.from(TestInfra.topic(Topics.GITOPS_COMMIT_RESULTS))) {
            Response first = commit(id, Map.of("requestId", "twenty-1", "message", "Deploy twenty apps",
                    "author", Map.of("name", "Release Bot", "email", "release@example.com"), "files", files));
            first.then().statusCode(200).body("status", equalTo("COMMITTED")).body("retries", equalTo(0));
            String commit = first.path("commit");

            RevCommit landed = commitAt(commit);
            assertEquals(head(), commit);
            assertEquals(1, landed.getParentCount());
            assertEquals(before, landed.getParent(0).name(), "one commit on top of the head it was computed from");
            assertTrue(landed.getFullMessage().contains("Bitbridge-Request: twenty-1"));
            assertEquals("Release Bot", landed.getAuthorIdent().getName());
            Map<String, String> tree = filesUnder(commit, "clusters/prod-twenty/");
            assertEquals(20, tree.size());
            assertEquals("replicas: 7\n", tree.get("apps/app-7/values.yaml"));

            GitOpsCommitResult published = result(results.await(r -> "twenty-1".equals(result(r).requestId())));
            assertEquals(GitOpsCommitResult.Status.COMMITTED, published.status());
            assertEquals(commit, published.commitHash());
            assertEquals(before, published.parentHash());
            assertEquals(id, published.target());
            assertEquals(20, published.changedPaths().size());
            assertEquals(0, published.retries());
            assertNotNull(published.requestedBy());

            // replay: the first result, no second commit
            commit(id, Map.of("requestId", "twenty-1", "message", "Deploy twenty apps", "files", files)).then().statusCode(200)
                    .body("commit", equalTo(commit)).body("status", equalTo("COMMITTED"));
            assertEquals(commit, head());

            // a new request whose files already match: no empty commit
            commit(id, Map.of("requestId", "twenty-2", "message", "Same again", "files", files)).then().statusCode(200)
                    .body("status", equalTo("NO_CHANGE")).body("commit", equalTo(commit));
            assertEquals(commit, head());

            // the full set without one file and with one changed: one commit deleting and changing
            files.remove("apps/app-0/values.yaml");
            files.put("apps/app-1/values.yaml", "replicas: 100\n");
            String third = commit(id, Map.of("requestId", "twenty-3", "message", "Drop app-0", "files", files)).then().statusCode(200)
                    .body("files", equalTo(List.of("apps/app-0/values.yaml", "apps/app-1/values.yaml"))).extract().path("commit");
            Map<String, String> after = filesUnder(third, "clusters/prod-twenty/");
            assertEquals(19, after.size());
            assertEquals("replicas: 100\n", after.get("apps/app-1/values.yaml"));
            assertEquals(commit, commitAt(third).getParent(0).name());

            given().auth().oauth2(TestTokens.viewer()).get("/api/targets/" + id + "/commits").then().statusCode(200)
                    .body("requestId", equalTo(List.of("twenty-3", "twenty-2", "twenty-1")))
                    .body("[2].requestedBy", notNullValue())
                    .body("[2].files.size()", equalTo(20));
        }
    }

    @Test
    void eightConcurrentWritersToOneBranchAllLandWithinTheRetryBound() throws Exception {
        String id = createTarget("prod", "eight", null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int writer = i;
                writers.add(pool.submit(() -> commit(id, Map.of("requestId", "eight-" + writer, "message", "writer " + writer,
                        "patch", Map.of("put", Map.of("writer-" + writer + ".yaml", "writer: " + writer + "\n"))))));
            }
            for (Future<Response> writer : writers) {
                Response response = writer.get(120, TimeUnit.SECONDS);
                response.then().statusCode(200).body("status", equalTo("COMMITTED"));
                int retries = response.path("retries");
                assertTrue(retries <= 5, "retries " + retries);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, String> tree = filesUnder(head(), "clusters/prod-eight/");
        assertEquals(8, tree.size(), "no update lost: " + tree.keySet());
        List<String> ours = new ArrayList<>();
        try (RevWalk walk = new RevWalk(git())) {
            walk.markStart(walk.parseCommit(git().resolve(head())));
            for (RevCommit c : walk) {
                if (c.getFullMessage().contains("Bitbridge-Request: eight-")) {
                    ours.add(c.name());
                }
            }
        }
        assertEquals(8, ours.size(), "one commit per writer");
    }

    @Test
    void aBranchThatKeepsMovingFailsCleanlyAfterFiveRetries() throws Exception {
        String id = createTarget("prod", "racing", null);
        CloudSourceFiles racer = source();
        AtomicBoolean racing = new AtomicBoolean(true);
        AtomicInteger racerCommits = new AtomicInteger();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // someone else commits outside the target's path without pause (no parent given: on whatever the head is), and
        // every /src request waits 300 ms in the fake: between our reading the head and our commit being handled
        // (a listing and a POST, 600 ms) the racer always lands at least once
        Future<?> race = pool.submit((Callable<Void>) () -> {
            while (racing.get()) {
                int n = racerCommits.incrementAndGet();
                try {
                    racer.commit(WS, REPO, new CloudSourceFiles.CommitSpec(BRANCH, null, "racer " + n, null,
                            Map.of("racer/counter.txt", String.valueOf(n).getBytes(StandardCharsets.UTF_8)), List.of()));
                } catch (BitbucketApiException e) {
                    assertEquals(409, e.status(), e.getMessage());
                }
            }
            return null;
        });
        GitOpsFakes.cloud().faults().arm(Fault.latency(Duration.ofMillis(300), 10_000).onPath("/2.0/repositories/acme/infra/src"));
        try {
            commit(id, Map.of("requestId", "racing-1", "message", "Never lands",
                    "files", Map.of("values.yaml", "x: 1\n"))).then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString("racing-1"));
        } finally {
            racing.set(false);
            GitOpsFakes.cloud().faults().clear();
            race.get(30, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        given().auth().oauth2(TestTokens.viewer()).get("/api/targets/" + id + "/commits/racing-1").then().statusCode(200)
                .body("status", equalTo("CONFLICT")).body("retries", equalTo(5))
                .body("reason", containsString("6 attempts"));
        assertTrue(filesUnder(head(), "clusters/prod-racing/").isEmpty(), "nothing of the request landed");
    }

    @Test
    void aRequestFromTheTopicIsCommittedOnceAndItsReplayRepublishesTheFirstResult() throws Exception {
        String id = createTarget("prod", "topic", null);
        GitOpsCommitRequest request = new GitOpsCommitRequest("topic-1", id, "From the platform",
                new Person("Platform", null, "platform@example.com", null, null),
                List.of(new GitOpsCommitRequest.FileChange("values.yaml", GitOpsCommitRequest.Operation.PUT, "a: 1\n", false, false),
                        new GitOpsCommitRequest.FileChange("bin/data", GitOpsCommitRequest.Operation.PUT,
                                java.util.Base64.getEncoder().encodeToString(new byte[]{0, 1, 2}), true, false)),
                null, "platform", Instant.now());
        try (TopicTail results = TopicTail.from(TestInfra.topic(Topics.GITOPS_COMMIT_RESULTS))) {
            publish(EventType.GITOPS_COMMIT_REQUEST, id, "req-topic-1", request);
            GitOpsCommitResult first = result(results.await(r -> "topic-1".equals(result(r).requestId())));
            assertEquals(GitOpsCommitResult.Status.COMMITTED, first.status());
            assertEquals("a: 1\n", filesUnder(first.commitHash(), "clusters/prod-topic/").get("values.yaml"));

            publish(EventType.GITOPS_COMMIT_REQUEST, id, "req-topic-1-again", request);
            GitOpsCommitResult again = result(results.await(r -> "topic-1".equals(result(r).requestId())));
            assertEquals(first.commitHash(), again.commitHash());
            assertEquals(first.completedAt(), again.completedAt());

            // a full set from the topic: the file left out is deleted, in one commit
            GitOpsCommitRequest fullSet = new GitOpsCommitRequest("topic-3", id, "Only values", null,
                    List.of(new GitOpsCommitRequest.FileChange("values.yaml", GitOpsCommitRequest.Operation.PUT, "a: 3\n", false, false)),
                    null, "platform", Instant.now(), true);
            publish(EventType.GITOPS_COMMIT_REQUEST, id, "req-topic-3", fullSet);
            GitOpsCommitResult third = result(results.await(r -> "topic-3".equals(result(r).requestId())));
            assertEquals(GitOpsCommitResult.Status.COMMITTED, third.status());
            assertEquals(List.of("bin/data", "values.yaml"), third.changedPaths());
            assertEquals(Map.of("values.yaml", "a: 3\n"), filesUnder(third.commitHash(), "clusters/prod-topic/"));

            GitOpsCommitRequest unknown = new GitOpsCommitRequest("topic-2", UUID.randomUUID().toString(), "Nowhere", null,
                    List.of(), null, null, Instant.now());
            publish(EventType.GITOPS_COMMIT_REQUEST, unknown.target(), "req-topic-2", unknown);
            assertEquals(GitOpsCommitResult.Status.REJECTED,
                    result(results.await(r -> "topic-2".equals(result(r).requestId()))).status());
            results.assertNothingElse();
        }
        given().auth().oauth2(TestTokens.viewer()).get("/api/targets/" + id + "/commits").then().statusCode(200)
                .body("size()", equalTo(2));
    }

    @Test
    void anEditMadeInTheRepositorySyncsBackAndOurOwnCommitsDoNotEcho() throws Exception {
        String id = createTarget("prod", "sync", null);
        String ours = commit(id, Map.of("requestId", "sync-1", "message", "Initial", "files",
                Map.of("values.yaml", "a: 1\n", "old.yaml", "old\n"))).then().statusCode(200).extract().path("commit");
        try (TopicTail sync = TopicTail.from(TestInfra.topic(Topics.GITOPS_SYNC))) {
            // our own commit's push: nothing comes back
            publish(EventType.PUSH_EXPANDED, "k", "delivery-ours", push("delivery-ours", commitAt(ours).getParent(0).name(), ours));

            // a person edits the target's directory through Bitbucket (no trailer of ours)
            String before = head();
            String edit = source().commit(WS, REPO, new CloudSourceFiles.CommitSpec(BRANCH, before, "Raise replicas by hand",
                    "Jane Doe <jane@example.com>", Map.of("clusters/prod-sync/values.yaml", "a: 2\n".getBytes(StandardCharsets.UTF_8)),
                    List.of("clusters/prod-sync/old.yaml")));
            PushEvent handMade = push("delivery-hand", before, edit);
            assertEquals(edit, handMade.changes().get(0).newHash());
            publish(EventType.PUSH_EXPANDED, "k", "delivery-hand", handMade);
            GitOpsSyncEvent event = EventJson.mapper().readValue(sync.await(r -> true).value(), GitOpsSyncEvent.class);
            assertEquals(id, event.target());
            assertEquals(edit, event.toHash());
            assertEquals(before, event.fromHash());
            assertEquals(List.of("old.yaml", "values.yaml"), event.changedPaths());
            assertTrue(event.outsideEdit());
            assertEquals(List.of(new GitOpsSyncEvent.SyncedFile("old.yaml", true, null, false),
                    new GitOpsSyncEvent.SyncedFile("values.yaml", false, "a: 2\n", false)), event.files());
            assertEquals("jane@example.com", event.author().email());
            assertTrue(event.message().startsWith("Raise replicas by hand"));

            // the same delivery again publishes nothing new
            publish(EventType.PUSH_EXPANDED, "k", "delivery-hand", handMade);
            sync.assertNothingElse();
        }
    }

    @Test
    void aServerTargetIsWrittenOverGitWithItsTokenAndAPushRaceIsFetchedAndRetried() throws Exception {
        String id = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clusterName", "dc", "clusterId", "one", "credentialId", GitOpsFakes.SERVER_CREDENTIAL_ID,
                        "repository", "OPS/platform", "branch", "main"))
                .post("/api/targets").then().statusCode(201).extract().path("id");
        Repository server = GitOpsFakes.server().repository("OPS", "platform").git();
        String before = server.exactRef("refs/heads/main").getObjectId().name();

        String first = commit(id, Map.of("requestId", "dc-1", "message", "Values for dc", "files",
                Map.of("values.yaml", "a: 1\n", "apps/web.yaml", "web: 1\n", "apps/api.yaml", "api: 1\n")))
                .then().statusCode(200).body("status", equalTo("COMMITTED")).body("parent", equalTo(before))
                .extract().path("commit");
        assertEquals(first, server.exactRef("refs/heads/main").getObjectId().name());
        RevCommit landed = commitAt(server, first);
        assertEquals(before, landed.getParent(0).name());
        assertTrue(landed.getFullMessage().contains("Bitbridge-Request: dc-1"));
        assertEquals(Map.of("values.yaml", "a: 1\n", "apps/web.yaml", "web: 1\n", "apps/api.yaml", "api: 1\n"),
                filesUnder(server, first, "clusters/dc-one/"));
        commit(id, Map.of("requestId", "dc-2", "message", "Same", "files",
                Map.of("values.yaml", "a: 1\n", "apps/web.yaml", "web: 1\n", "apps/api.yaml", "api: 1\n")))
                .then().statusCode(200).body("status", equalTo("NO_CHANGE"));

        // someone pushes while our fetch is transferring (a first push gives the fetch something to transfer): our push
        // is then not a fast-forward, so we fetch and compute again
        GitOpsFakes.server().commitFiles("OPS", "platform", "main", Map.of("README.md", "# edited\n"), "Edit", "sandbox");
        GitOpsFakes.server().http().faults().arm(Fault.latency(Duration.ofMillis(500), 1).onPath("/scm/ops/platform.git/git-upload-pack"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<String> racer = pool.submit(() -> {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> GitOpsFakes.server().http().faults().armed().isEmpty());
            return GitOpsFakes.server().commitFiles("OPS", "platform", "main", Map.of("README.md", "# edited meanwhile\n"),
                    "Edit meanwhile", "sandbox");
        });
        try {
            String third = commit(id, Map.of("requestId", "dc-3", "message", "Patch", "patch",
                    Map.of("put", Map.of("values.yaml", "a: 2\n"), "delete", List.of("apps/api.yaml"))))
                    .then().statusCode(200).body("status", equalTo("COMMITTED")).body("retries", equalTo(1))
                    .body("files", equalTo(List.of("apps/api.yaml", "values.yaml"))).extract().path("commit");
            String raced = racer.get(30, TimeUnit.SECONDS);
            assertEquals(raced, commitAt(server, third).getParent(0).name(), "computed again on top of the other push");
            assertEquals(Map.of("values.yaml", "a: 2\n", "apps/web.yaml", "web: 1\n"), filesUnder(server, third, "clusters/dc-one/"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aServerEditSyncsBackWithItsContentsAndOurOwnPushDoesNotEcho() throws Exception {
        String id = serverTarget("dc", "sync", GitOpsFakes.SERVER_CREDENTIAL_ID);
        Repository server = GitOpsFakes.server().repository("OPS", "platform").git();
        String ours = commit(id, Map.of("requestId", "dc-sync-1", "message", "Initial", "files",
                Map.of("values.yaml", "a: 1\n", "old.yaml", "old\n"))).then().statusCode(200).extract().path("commit");
        String host = RepositoryRef.hostOf(GitOpsFakes.server().baseUrl());
        try (TopicTail sync = TopicTail.from(TestInfra.topic(Topics.GITOPS_SYNC))) {
            publish(EventType.PUSH_EXPANDED, "k", "dc-delivery-ours", push("dc-delivery-ours", commitAt(server, ours).getParent(0).name(), ours,
                    server, Provider.BITBUCKET_SERVER, host, "OPS", "platform", GitOpsFakes.SERVER_CREDENTIAL_ID));

            // a person pushes an edit of the target's directory (and of a file outside it)
            String before = server.exactRef("refs/heads/main").getObjectId().name();
            Map<String, String> edit = new java.util.HashMap<>();
            edit.put("clusters/dc-sync/values.yaml", "a: 2\n");
            edit.put("clusters/dc-sync/old.yaml", null);
            edit.put("README.md", "# by hand\n");
            String hand = GitOpsFakes.server().commitFiles("OPS", "platform", "main", edit, "Raise a by hand", "sandbox");
            publish(EventType.PUSH_EXPANDED, "k", "dc-delivery-hand", push("dc-delivery-hand", before, hand, server,
                    Provider.BITBUCKET_SERVER, host, "OPS", "platform", GitOpsFakes.SERVER_CREDENTIAL_ID));
            GitOpsSyncEvent event = EventJson.mapper().readValue(sync.await(r -> true).value(), GitOpsSyncEvent.class);
            assertEquals(id, event.target());
            assertEquals(hand, event.toHash());
            assertEquals(List.of("old.yaml", "values.yaml"), event.changedPaths());
            assertEquals(List.of(new GitOpsSyncEvent.SyncedFile("old.yaml", true, null, false),
                    new GitOpsSyncEvent.SyncedFile("values.yaml", false, "a: 2\n", false)), event.files());
            assertEquals("Sandbox User", event.author().displayName());
            assertTrue(event.message().startsWith("Raise a by hand"));
            sync.assertNothingElse();
        }
    }

    @Test
    void aLargeFileUploadedAsAMultipartPartIsStreamedIntoTheServerRepository() throws Exception {
        String id = serverTarget("dc", "large", GitOpsFakes.SERVER_CREDENTIAL_ID);
        Repository server = GitOpsFakes.server().repository("OPS", "platform").git();
        byte[] large = new byte[6 * 1024 * 1024];
        new java.util.Random(15).nextBytes(large);
        String request = EventJson.mapper().writeValueAsString(Map.of("requestId", "dc-large-1", "message", "A chart archive",
                "files", Map.of("values.yaml", "chart: big\n")));
        String landed = given().auth().oauth2(TestTokens.admin()).multiPart("request", request, "application/json")
                .multiPart("charts/big.tgz", "big.tgz", large, "application/octet-stream")
                .post("/api/targets/" + id + "/commits").then().statusCode(200).body("status", equalTo("COMMITTED"))
                .body("files", equalTo(List.of("charts/big.tgz", "values.yaml"))).extract().path("commit");
        try (TreeWalk walk = TreeWalk.forPath(server, "clusters/dc-large/charts/big.tgz", commitAt(server, landed).getTree())) {
            assertArrayEquals(large, server.open(walk.getObjectId(0)).getBytes(large.length + 1));
        }
        assertEquals("chart: big\n", filesUnder(server, landed, "clusters/dc-large/").get("values.yaml"));

        given().auth().oauth2(TestTokens.admin()).multiPart("request", request.replace("dc-large-1", "dc-large-2"), "application/json")
                .multiPart("../outside.bin", "outside.bin", new byte[]{1}, "application/octet-stream")
                .post("/api/targets/" + id + "/commits").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aServerOverHttpsIsPushedToTrustingTheCredentialsPrivateCaAndNotWithoutIt() throws Exception {
        Repository server = GitOpsFakes.server().repository("OPS", "platform").git();
        String trusted = serverTarget("dc", "tls", GitOpsFakes.SERVER_TLS_CREDENTIAL_ID);
        String landed = commit(trusted, Map.of("requestId", "dc-tls-1", "message", "Over HTTPS", "files", Map.of("values.yaml", "tls: true\n")))
                .then().statusCode(200).body("status", equalTo("COMMITTED")).extract().path("commit");
        assertEquals(landed, server.exactRef("refs/heads/main").getObjectId().name());
        assertEquals(Map.of("values.yaml", "tls: true\n"), filesUnder(server, landed, "clusters/dc-tls/"));

        // the same server and token without the CA: the certificate is not trusted, nothing is pushed
        String untrusted = serverTarget("dc", "untrusted", GitOpsFakes.SERVER_UNTRUSTED_CREDENTIAL_ID);
        commit(untrusted, Map.of("requestId", "dc-tls-2", "message", "Not trusted", "files", Map.of("values.yaml", "tls: false\n")))
                .then().statusCode(502).contentType("application/problem+json").body("detail", containsString("dc-tls-2"));
        given().auth().oauth2(TestTokens.viewer()).get("/api/targets/" + untrusted + "/commits/dc-tls-2").then().statusCode(200)
                .body("status", equalTo("FAILED")).body("reason", containsString("git"));
        assertEquals(landed, server.exactRef("refs/heads/main").getObjectId().name());
    }

    @Test
    void aCloudBootstrapCreatesTheRepositoryGrantsGroupsCommitsOnceAndASecondRunChangesNothing() throws Exception {
        assertFalse(GitOpsFakes.cloud().hasRepository(WS, "fleet"));
        Map<String, Object> body = new LinkedHashMap<>(Map.of("credentialId", GitOpsFakes.CREDENTIAL_ID, "owner", WS, "repository", "fleet",
                "clusterName", "fleet", "clusterId", "c1", "groups", List.of("developers", "operators"),
                "files", Map.of("values.yaml", "replicas: 2\n", "apps/web.yaml", "web: 1\n")));
        body.put("requestId", "bootstrap-cloud-1");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body).post("/api/bootstrap").then().statusCode(200)
                .body("repository", equalTo("acme/fleet")).body("repositoryCreated", equalTo(true))
                .body("groupsGranted", equalTo(List.of("developers", "operators"))).body("targetCreated", equalTo(true))
                .body("commit.status", equalTo("COMMITTED")).body("changed", equalTo(true))
                .body("target.path", equalTo("clusters/fleet-c1/")).body("target.webhook", equalTo("registered"));
        assertEquals(Map.of("developers", "write", "operators", "write"), GitOpsFakes.cloud().groupPermissions(WS, "fleet"));
        assertTrue(GitOpsFakes.registrations().contains(GitOpsFakes.CREDENTIAL_ID + " acme/fleet"));
        Repository fleet = GitOpsFakes.cloud().git(WS, "fleet");
        String first = GitOpsFakes.cloud().branchTip(WS, "fleet", "main");
        assertEquals(0, commitAt(fleet, first).getParentCount(), "the initial files are the repository's first commit");
        assertEquals(Map.of("values.yaml", "replicas: 2\n", "apps/web.yaml", "web: 1\n"), filesUnder(fleet, first, "clusters/fleet-c1/"));

        body.put("requestId", "bootstrap-cloud-2");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body).post("/api/bootstrap").then().statusCode(200)
                .body("repositoryCreated", equalTo(false)).body("groupsGranted", equalTo(List.of()))
                .body("groupsKept", equalTo(List.of("developers", "operators"))).body("targetCreated", equalTo(false))
                .body("commit.status", equalTo("NO_CHANGE")).body("commit.commit", equalTo(first)).body("changed", equalTo(false));
        assertEquals(first, GitOpsFakes.cloud().branchTip(WS, "fleet", "main"));

        // the same cluster pointed elsewhere is refused, a personal Cloud repository does not exist
        body.put("repository", "elsewhere");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body).post("/api/bootstrap").then().statusCode(409)
                .contentType("application/problem+json");
        Map<String, Object> personal = new LinkedHashMap<>(Map.of("credentialId", GitOpsFakes.CREDENTIAL_ID, "personal", true,
                "repository", "mine", "clusterName", "fleet", "clusterId", "c2", "files", Map.of("values.yaml", "x: 1\n")));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(personal).post("/api/bootstrap").then().statusCode(422)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.viewer()).contentType(ContentType.JSON).body(personal).post("/api/bootstrap").then().statusCode(403);
    }

    @Test
    void aServerBootstrapCreatesTheRepositoryGrantsGroupsPushesTheFirstCommitAndASecondRunChangesNothing() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("credentialId", GitOpsFakes.SERVER_CREDENTIAL_ID, "owner", "OPS",
                "repository", "fleet", "branch", "main", "clusterName", "fleet", "clusterId", "s1", "private", true,
                "groups", List.of("platform-team"), "files", Map.of("values.yaml", "replicas: 3\n")));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body).post("/api/bootstrap").then().statusCode(200)
                .body("repository", equalTo("OPS/fleet")).body("repositoryCreated", equalTo(true))
                .body("groupsGranted", equalTo(List.of("platform-team"))).body("commit.status", equalTo("COMMITTED"))
                .body("commit.parent", org.hamcrest.Matchers.nullValue());
        var fleet = GitOpsFakes.server().repository("OPS", "fleet");
        assertEquals(Map.of("platform-team", io.bitbridge.fakes.server.ServerPermission.REPO_WRITE), fleet.groupPermissions());
        assertEquals("main", fleet.defaultBranch());
        String first = fleet.git().exactRef("refs/heads/main").getObjectId().name();
        assertEquals(Map.of("values.yaml", "replicas: 3\n"), filesUnder(fleet.git(), first, "clusters/fleet-s1/"));

        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body).post("/api/bootstrap").then().statusCode(200)
                .body("repositoryCreated", equalTo(false)).body("groupsKept", equalTo(List.of("platform-team")))
                .body("targetCreated", equalTo(false)).body("commit.status", equalTo("NO_CHANGE")).body("changed", equalTo(false));
        assertEquals(first, fleet.git().exactRef("refs/heads/main").getObjectId().name());

        // personal: the credential's user's project ~sandbox
        Map<String, Object> personal = new LinkedHashMap<>(Map.of("credentialId", GitOpsFakes.SERVER_CREDENTIAL_ID, "personal", true,
                "repository", "lab", "clusterName", "lab", "clusterId", "p1", "files", Map.of("values.yaml", "lab: true\n")));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(personal).post("/api/bootstrap").then().statusCode(200)
                .body("repository", equalTo("~sandbox/lab")).body("repositoryCreated", equalTo(true)).body("commit.status", equalTo("COMMITTED"));
        Repository lab = GitOpsFakes.server().repository("~sandbox", "lab").git();
        assertEquals(Map.of("values.yaml", "lab: true\n"),
                filesUnder(lab, lab.exactRef("refs/heads/main").getObjectId().name(), "clusters/lab-p1/"));
    }

    // ---- helpers ----

    private static String serverTarget(String cluster, String clusterId, String credentialId) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clusterName", cluster, "clusterId", clusterId, "credentialId", credentialId,
                        "repository", "OPS/platform", "branch", "main"))
                .post("/api/targets").then().statusCode(201).extract().path("id");
    }

    private static String createTarget(String cluster, String clusterId, String path) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(targetBody(cluster, clusterId, path))
                .post("/api/targets").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> targetBody(String cluster, String clusterId, String path) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("clusterName", cluster, "clusterId", clusterId,
                "credentialId", GitOpsFakes.CREDENTIAL_ID, "repository", "acme/infra", "branch", BRANCH));
        if (path != null) {
            body.put("path", path);
        }
        return body;
    }

    private static Response commit(String targetId, Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body)
                .post("/api/targets/" + targetId + "/commits");
    }

    private void publish(EventType type, String key, String id, Record event) throws Exception {
        publisher.publish(type, key, CloudEventHeaders.of(id, type, "/test", Instant.now()), event).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private PushEvent push(String deliveryId, String oldHash, String newHash) throws IOException {
        return push(deliveryId, oldHash, newHash, git(), Provider.BITBUCKET_CLOUD, "bitbucket.org", WS, REPO, GitOpsFakes.CREDENTIAL_ID);
    }

    /** An expanded push of one commit on {@code main}, as scraper-service publishes it. */
    private static PushEvent push(String deliveryId, String oldHash, String newHash, Repository repository, Provider provider, String host,
                                  String owner, String slug, String credentialId) throws IOException {
        RevCommit commit = commitAt(repository, newHash);
        Person author = new Person(commit.getAuthorIdent().getName(), null, commit.getAuthorIdent().getEmailAddress(), null, null);
        RefChange change = new RefChange(RefType.BRANCH, BRANCH, oldHash, newHash, false, false, false,
                List.of(new Commit(newHash, commit.getFullMessage(), author, Instant.now(), List.of(oldHash), List.of())), false, true);
        return new PushEvent(deliveryId, 1, provider, credentialId, provider == Provider.BITBUCKET_CLOUD ? "repo:push" : "repo:refs_changed",
                RepositoryRef.of(provider, host, owner, slug, slug, null, List.of()), author, List.of(change), Instant.now());
    }

    private static GitOpsCommitResult result(ConsumerRecord<byte[], byte[]> record) {
        try {
            return EventJson.mapper().readValue(record.value(), GitOpsCommitResult.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static CloudSourceFiles source() {
        Authorization auth = GitOpsFakes.sandboxAuthorization();
        return new CloudSourceFiles(io.quarkus.arc.Arc.container().instance(BitbucketEndpoints.class).get().of(auth));
    }

    private static Repository git() {
        return GitOpsFakes.cloud().git(WS, REPO);
    }

    private static String head() {
        return GitOpsFakes.cloud().branchTip(WS, REPO, BRANCH);
    }

    private static RevCommit commitAt(String hash) throws IOException {
        return commitAt(git(), hash);
    }

    private static RevCommit commitAt(Repository repository, String hash) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(repository.resolve(hash));
        }
    }

    /** The files under {@code prefix} at a commit, paths relative to it, contents as text. */
    private static Map<String, String> filesUnder(String hash, String prefix) throws IOException {
        return filesUnder(git(), hash, prefix);
    }

    private static Map<String, String> filesUnder(Repository repository, String hash, String prefix) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(commitAt(repository, hash).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                if (walk.getPathString().startsWith(prefix)) {
                    files.put(walk.getPathString().substring(prefix.length()),
                            new String(repository.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    /**
     * What every Bitbridge service promises ({@link ServiceContractTests}), checked on this class's running service
     * rather than on one started for a class of its own.
     */
    @Nested
    class ServiceContract extends ServiceContractTests {
    }
}
