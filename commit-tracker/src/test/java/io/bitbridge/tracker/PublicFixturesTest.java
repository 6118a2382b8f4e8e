package io.bitbridge.tracker;

import com.sun.net.httpserver.HttpServer;
import io.bitbridge.bitbucket.webhook.CloudPayloadMapper;
import io.bitbridge.bitbucket.webhook.DeliveryContext;
import io.bitbridge.common.messaging.EventPublisher;
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
import io.bitbridge.events.TaskLinkEvent;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.cloud.PullRequestSpec;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestTokens;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracker over every public webhook body (as the gateway maps them) on the real broker and PostgreSQL. Two copies
 * of the whole history go in, one in manifest order and then again (a redelivery of everything), the other in
 * reverse order: both must end as the same rows, and each task link goes out once per copy. And over the bodies the
 * Bitbucket Cloud fake delivers for commits made through its API.
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class PublicFixturesTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MARKER = "zz-marker";
    private static final long MARKER_PR = 999_999;

    @Inject
    EventPublisher publisher;

    @Test
    void everyPublicBodyInEitherOrderAndRedeliveredEndsAsTheSameHistory() {
        List<Record> events = FixtureEvents.all();
        assertTrue(events.size() >= 80, "published fixtures: " + events.size());
        List<Record> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);
        Set<String> repositories = new TreeSet<>();
        events.forEach(event -> repositories.add(FixtureEvents.repository(event).key()));

        try (TopicTail links = TopicTail.from(publisher.topic(EventType.TASK_LINK))) {
            publishAll(events, "_fwdcopy");
            publishAll(reversed, "_revcopy");
            awaitMarkers(repositories, "_fwdcopy", 1);
            awaitMarkers(repositories, "_revcopy", 1);
            // The fixtures' one task key: PROJ-4600 in a pull request's title (CVE-2025-55190 in another is not a key).
            for (String copy : List.of("_fwdcopy", "_revcopy")) {
                ConsumerRecord<byte[], byte[]> record = links.await(r -> EventJson.fromBytes(r.value(), TaskLinkEvent.class)
                        .repositoryKey().endsWith(copy));
                TaskLinkEvent link = EventJson.fromBytes(record.value(), TaskLinkEvent.class);
                assertEquals("PROJ-4600 PULL_REQUEST 114 " + "bitbucket-server:bitbucket.example.com/dev/deployment-automation" + copy,
                        link.taskId() + " " + link.target() + " " + link.reference() + " " + link.repositoryKey());
            }

            publishAll(events, "_fwdcopy");   // everything again, as after a lost offset commit
            awaitMarkers(repositories, "_fwdcopy", 2);
            links.assertNothingElse();
        }

        for (String repository : repositories) {
            assertEquals(snapshot(repository, "_fwdcopy"), snapshot(repository, "_revcopy"), repository);
        }
        viewer().get("/api/tasks/PROJ-4600").then().statusCode(200).body("links.foundIn", everyItem(equalTo("PULL_REQUEST_TITLE")));
        viewer().get("/api/tasks/CVE-2025").then().statusCode(404);
    }

    @Test
    void theBodiesStatesReviewersBranchesAndPeopleAreKeptAsBitbucketSentThem() {
        List<Record> events = FixtureEvents.all();
        Set<String> repositories = new TreeSet<>();
        events.forEach(event -> repositories.add(FixtureEvents.repository(event).key()));
        publishAll(events, "_onecopy");
        awaitMarkers(repositories, "_onecopy", 1);

        // Server #5: opened, approved / changes requested / unapproved at one instant, merged later with the approval.
        String webhookTest = "bitbucket-server:server.bitbucket.local/~gopher/webhook-test_onecopy";
        viewer().get("/api/pullrequests/" + webhookTest + "/5").then().statusCode(200)
                .body("state", equalTo("MERGED"))
                .body("mergeCommit", equalTo("cbf26be7bfc8394906abbd571498fb8d28888b58"))
                .body("history.action", hasItems("OPENED", "APPROVED", "CHANGES_REQUESTED", "UNAPPROVED", "MERGED"))
                .body("history[-1].action", equalTo("MERGED"))
                .body("reviewers.identity", contains("account:server.bitbucket.local/2125"))
                .body("reviewers.status", contains("APPROVED"));
        // Server #2: declined, then deleted; a comment edited before both.
        viewer().get("/api/pullrequests/" + webhookTest + "/2").then().statusCode(200).body("state", equalTo("DELETED"));
        // The branch deleted by a refs_changed body.
        viewer().get("/api/repositories/" + webhookTest + "/branches").then().statusCode(200)
                .body("items.find { it.name == 'feature/wip' }.deletedAt", not(equalTo(null)));

        // Cloud #3: the newest delivery asks for changes; Cloud #1: drafted, opened again, declined.
        String collect = "bitbucket-cloud:bitbucket.org/6543/collect-webhooks_onecopy";
        viewer().get("/api/pullrequests/" + collect + "/3").then().statusCode(200)
                .body("reviewers.identity", contains("account:712020:a838ae83-3081-4a52-8dd6-295bfa6a25e1"))
                .body("reviewers.status", contains("CHANGES_REQUESTED"));
        viewer().get("/api/pullrequests/" + collect + "/1").then().statusCode(200).body("state", equalTo("DECLINED"));
        viewer().get("/api/pullrequests/" + collect + "/2").then().statusCode(200)
                .body("state", equalTo("MERGED")).body("mergeCommit", equalTo("fc2a2c05765d"));

        // A Data Center pull request from a personal fork.
        String deployment = "bitbucket-server:bitbucket.example.com/dev/deployment-automation_onecopy";
        viewer().get("/api/pullrequests/" + deployment + "/114").then().statusCode(200).body("fork", equalTo(true));
        viewer().get("/api/pullrequests/" + deployment + "/111").then().statusCode(200).body("fork", equalTo(false))
                .body("state", equalTo("MERGED"));

        // Cloud: a branch created with two commits, deleted later; tags are not branches; the commit pushed to two branches.
        String foo = "bitbucket-cloud:bitbucket.org/brydzewski/foo_onecopy";
        viewer().get("/api/repositories/" + foo + "/branches").then().statusCode(200)
                .body("items.name", contains("develop", "master", MARKER))
                .body("items[0].head", equalTo(null))
                .body("items[0].deletedAt", not(equalTo(null)));
        viewer().get("/api/commits/" + foo + "/141977fedf5cf35aa290ac87d4b5177ac4cd9de1").then().statusCode(200)
                .body("branches", contains("develop", "master"))
                .body("author.email", equalTo("brad.rydzewski@gmail.com"))
                .body("author.accountId", equalTo("557058:2a6349dc-4346-4805-bd84-3abdd0812d17"));
        viewer().get("/api/repositories/" + foo + "/commits?branch=develop").then().statusCode(200)
                .body("items.hash", contains("141977fedf5cf35aa290ac87d4b5177ac4cd9de1", "40e7580cf11311d84a6e5e97e2cbba6df1675750"));

        // Server user ids belong to their instance: user 1 of two hosts are two people.
        viewer().get("/api/repositories/bitbucket-server:unknown-host/prj/my-repo_onecopy/members").then().statusCode(200)
                .body("items.identity", hasItem("account:unknown-host/1"));
        viewer().get("/api/repositories/bitbucket-server:example.com:7990/prj/my-repo_onecopy/members").then().statusCode(200)
                .body("items.identity", hasItem("account:example.com:7990/1"));
    }

    @Test
    void aBranchPushedToTheCloudFakeAndItsPullRequestAreTrackedFromTheWebhooksItSent() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (BitbucketCloudFake fake = BitbucketCloudFake.sandbox()) {
            String hook = "{\"description\":\"tracker\",\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/hook\",\"active\":true,\"events\":[\"repo:push\",\"pullrequest:created\",\"pullrequest:fulfilled\"]}";
            assertEquals(201, cloud(fake, "/2.0/repositories/acme/game/hooks", "application/json", hook).statusCode());
            // Two commits on a new task branch, the second by someone Bitbucket knows only by address.
            assertEquals(201, cloud(fake, "/2.0/repositories/acme/game/src", "application/x-www-form-urlencoded",
                    form("branch", "feature/GAME-31-fast-load", "message", "GAME-31 load levels lazily",
                            "author", "Sandbox User <" + BitbucketCloudFake.SANDBOX_EMAIL + ">", "src/level.c", "lazy")).statusCode());
            assertEquals(201, cloud(fake, "/2.0/repositories/acme/game/src", "application/x-www-form-urlencoded",
                    form("branch", "feature/GAME-31-fast-load", "message", "Cache textures too (GAME-31, OPS-7)",
                            "author", "Dana Doe <dana@acme.test>", "src/texture.c", "cached")).statusCode());
            fake.sendPullRequestEvent("acme", "game", "pullrequest:created",
                    PullRequestSpec.open(1, "GAME-31 faster level loading", "feature/GAME-31-fast-load", "main"), BitbucketCloudFake.SANDBOX_USER);
            fake.sendPullRequestEvent("acme", "game", "pullrequest:fulfilled",
                    PullRequestSpec.open(1, "GAME-31 faster level loading", "feature/GAME-31-fast-load", "main"), BitbucketCloudFake.SANDBOX_USER);
            fake.awaitDeliveries(Duration.ofSeconds(30));
            String head = fake.branchTip("acme", "game", "feature/GAME-31-fast-load");

            List<DeliveryAttempt> deliveries = fake.deliveries();
            assertEquals(4, deliveries.size(), "two pushes, two pull-request events");
            try (TopicTail links = TopicTail.from(publisher.topic(EventType.TASK_LINK))) {
                for (DeliveryAttempt delivery : deliveries) {
                    String eventKey = delivery.header("X-Event-Key");
                    Record event = new CloudPayloadMapper().map(new DeliveryContext(Provider.BITBUCKET_CLOUD, "credential-1", eventKey,
                            delivery.header("X-Request-UUID"), 1, delivery.sentAt(), null), EventJson.mapper().readTree(delivery.bodyText())).event();
                    if (event instanceof PushEvent push) {
                        send(EventType.PUSH_EXPANDED, push.repository().key(), push.deliveryId(), push);
                    } else {
                        send(EventType.PULL_REQUEST, ((PullRequestEvent) event).repository().key(), delivery.header("X-Request-UUID"), event);
                    }
                }
                Set<String> found = new TreeSet<>();
                for (int i = 0; i < 5; i++) {
                    TaskLinkEvent link = EventJson.fromBytes(links.await(r -> EventJson.fromBytes(r.value(), TaskLinkEvent.class)
                            .repositoryKey().equals(FAKE_REPOSITORY)).value(), TaskLinkEvent.class);
                    found.add(link.taskId() + " " + link.target() + (link.target() == TaskLinkEvent.Target.COMMIT ? "" : " " + link.reference()));
                }
                assertEquals(Set.of("GAME-31 BRANCH feature/GAME-31-fast-load", "GAME-31 COMMIT", "OPS-7 COMMIT",
                        "GAME-31 PULL_REQUEST 1"), found);
                links.assertNothingElse();
            }
            await().atMost(WAIT).untilAsserted(() -> viewer().get("/api/pullrequests/" + FAKE_REPOSITORY + "/1").then().statusCode(200)
                    .body("state", equalTo("MERGED")));
            viewer().get("/api/repositories/" + FAKE_REPOSITORY + "/branches").then().statusCode(200)
                    .body("items.find { it.name == 'feature/GAME-31-fast-load' }.head", equalTo(head))
                    .body("items.find { it.name == 'feature/GAME-31-fast-load' }.mergedByPullRequest", equalTo(1));
            viewer().get("/api/commits/" + FAKE_REPOSITORY + "/" + head).then().statusCode(200)
                    .body("message", equalTo("Cache textures too (GAME-31, OPS-7)"))
                    .body("author.email", equalTo("dana@acme.test"))
                    .body("branches", contains("feature/GAME-31-fast-load"));
            viewer().get("/api/tasks/GAME-31").then().statusCode(200).body("links.target", hasItems("COMMIT", "BRANCH", "PULL_REQUEST"));
            viewer().get("/api/repositories/" + FAKE_REPOSITORY + "/members").then().statusCode(200)
                    .body("items.identity", hasItem("email:dana@acme.test"));
        } finally {
            receiver.stop(0);
        }
    }

    private static final String FAKE_REPOSITORY = "bitbucket-cloud:bitbucket.org/acme/game";

    /** A request to the Cloud fake as the sandbox user (its API token, Basic). */
    private static HttpResponse<String> cloud(BitbucketCloudFake fake, String path, String contentType, String body) throws Exception {
        String credentials = BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN;
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.baseUri() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String form(String... namesAndValues) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            pairs.add(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", pairs);
    }

    /** Every API view of one copy of a repository, with the copy's suffix taken out. */
    private static String snapshot(String repository, String copy) {
        String key = repository + copy;
        List<String> views = new ArrayList<>();
        views.add(viewer().get("/api/repositories/" + key + "/branches?limit=200").then().extract().asString());
        views.add(viewer().get("/api/repositories/" + key + "/commits?limit=200").then().extract().asString());
        views.add(viewer().get("/api/repositories/" + key + "/members?limit=200").then().extract().asString());
        List<Integer> ids = viewer().get("/api/repositories/" + key + "/pullrequests?limit=200").then().statusCode(200)
                .extract().path("items.id");
        for (Integer id : ids) {
            if (id != MARKER_PR) {
                views.add(viewer().get("/api/pullrequests/" + key + "/" + id).then().statusCode(200).extract().asString());
            }
        }
        return String.join("\n", views).replace(copy, "")
                .replaceAll(",?\\{\"name\":\"" + MARKER + "\"[^}]*}", "");
    }

    /** Publishes every event (a copy named by {@code suffix}), then a marker per repository and topic. */
    private void publishAll(List<Record> events, String suffix) {
        Map<String, RepositoryRef> repositories = new LinkedHashMap<>();
        for (Record event : events) {
            Record copy = FixtureEvents.copy(event, suffix);
            repositories.putIfAbsent(FixtureEvents.repository(copy).key(), FixtureEvents.repository(copy));
            if (copy instanceof PushEvent push) {
                send(EventType.PUSH_EXPANDED, push.repository().key(), push.deliveryId(), push);
            } else {
                PullRequestEvent pr = (PullRequestEvent) copy;
                send(EventType.PULL_REQUEST, pr.repository().key(), pr.deliveryId(), pr);
            }
        }
        for (RepositoryRef repo : repositories.values()) {
            markers(repo);
        }
    }

    /**
     * A push to {@code zz-marker} and a pull request {@value #MARKER_PR} behind everything published for the repository
     * (same record key, so the same partition): once the marker's count is seen, everything before it is stored.
     */
    private void markers(RepositoryRef repo) {
        String id = "marker-" + System.nanoTime();
        Instant now = Instant.now();
        send(EventType.PUSH_EXPANDED, repo.key(), id, new PushEvent(id, 1, repo.provider(), "credential-1", "marker", repo,
                Person.unknown(), List.of(new RefChange(RefType.BRANCH, MARKER, null, null, false, false, false, List.of(), false, true)), now));
        send(EventType.PULL_REQUEST, repo.key(), id, new PullRequestEvent(id, 1, repo.provider(), "credential-1", "marker",
                PullRequestAction.COMMENT_CREATED, repo, Person.unknown(), new PullRequest(MARKER_PR, "marker", null,
                PullRequestState.OPEN, "OPEN", Person.unknown(), new PullRequest.Endpoint(repo.key(), MARKER, null),
                new PullRequest.Endpoint(repo.key(), "main", null), null, List.of(), null, now), now));
    }

    private static void awaitMarkers(Set<String> repositories, String copy, int count) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (String repository : repositories) {
                viewer().get("/api/pullrequests/" + repository + copy + "/" + MARKER_PR).then().statusCode(200)
                        .body("history.size()", equalTo(count));
                viewer().get("/api/repositories/" + repository + copy + "/branches?limit=200").then().statusCode(200)
                        .body("items.name", hasItem(MARKER));
            }
        });
    }

    private void send(EventType type, String key, String id, Record event) {
        TestEvents.send(publisher, type, key, id, event);
    }

    private static RequestSpecification viewer() {
        return given().auth().oauth2(TestTokens.viewer());
    }
}
