package io.bitbridge.scraper;

import io.bitbridge.bitbucket.webhook.WebhookEventId;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Commit;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.Topics;
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.scraper.support.BitbucketFakes;
import io.bitbridge.scraper.support.FakeCredentialService;
import io.bitbridge.scraper.support.Pushes;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TopicTail;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.bitbridge.scraper.support.Pushes.bareCommit;
import static io.bitbridge.scraper.support.Pushes.ceId;
import static io.bitbridge.scraper.support.Pushes.cloudCommit;
import static io.bitbridge.scraper.support.Pushes.cloudRepository;
import static io.bitbridge.scraper.support.Pushes.decode;
import static io.bitbridge.scraper.support.Pushes.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push expansion end to end: pushes published on {@code bitbucket.push.v1} of a real broker, expanded against the
 * Bitbucket fakes with authorizations from an in-test credential-service, read back from
 * {@code bitbucket.push.expanded.v1} (or the dead-letter topic).
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FakeCredentialService.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BitbucketFakes.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class PushExpansionTest {
    private static final String CLOUD = "cloud-credential";
    private static final String SERVER = "server-credential";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    EventPublisher publisher;

    @BeforeEach
    void credentials() {
        Pushes.sandboxCredentials(CLOUD, SERVER);
    }

    @Test
    void cloudPushOfTwelveCommitsTruncatedAtFiveIsExpandedToTwelveWithPaths() throws Exception {
        String old = BitbucketFakes.cloud().branchTip("acme", "game", "main");
        for (int i = 0; i < 12; i++) {
            cloudCommit("game", "main", "src/file" + i + ".txt", "change " + i, null);
        }
        String head = BitbucketFakes.cloud().branchTip("acme", "game", "main");
        List<String> expected = history(BitbucketFakes.cloud().git("acme", "game"), head, old);
        List<Commit> payloadCommits = expected.subList(0, 5).stream().map(Pushes::bareCommit).toList();
        PushEvent push = push(Provider.BITBUCKET_CLOUD, CLOUD, cloudRepository("game"),
                new RefChange(RefType.BRANCH, "main", old, head, false, false, false, payloadCommits, true, false));

        try (TopicTail expanded = TopicTail.from(TestInfra.topic(Topics.PUSH_EXPANDED))) {
            publish(push);
            ConsumerRecord<byte[], byte[]> record = expanded.await(r -> push.deliveryId().equals(ceId(r)));
            RefChange change = decode(record).changes().get(0);
            assertEquals(12, change.commits().size());
            assertEquals(expected, change.commits().stream().map(Commit::hash).toList());
            assertEquals("change 11", change.commits().get(0).message().strip());
            assertTrue(change.commitsComplete());
            assertEquals(IntStream.range(0, 12).mapToObj(i -> "src/file" + i + ".txt").sorted().toList(), change.paths());
            assertNull(change.expansionNote());
            assertEquals(push.repository().key(), new String(record.key(), StandardCharsets.UTF_8));

            // the same delivery again (Bitbucket retried it): expanded once already, so nothing more
            publish(push);
            assertOnlyThisFollows(expanded, push.repository());
        }
    }

    @Test
    void aCapturedPushReplayedUnderANewDeliveryIdIsExpandedOnce() throws Exception {
        // What the gateway publishes for a body and for the same body sent again under a fresh X-Request-UUID: two
        // deliveries, one event id (derived from credential, key and body).
        byte[] body = "{\"push\":{\"changes\":[{\"old\":{\"name\":\"replayed\"},\"new\":null}]}}".getBytes(StandardCharsets.UTF_8);
        String eventId = WebhookEventId.of(CLOUD, "repo:push", body);
        PushEvent original = push(Provider.BITBUCKET_CLOUD, CLOUD, cloudRepository("game"),
                new RefChange(RefType.BRANCH, "replayed", "e".repeat(40), null, false, true, false, List.of(), false, false));
        PushEvent replay = new PushEvent(UUID.randomUUID().toString(), 1, original.provider(), original.credentialId(),
                original.eventKey(), original.repository(), original.actor(), original.changes(), Instant.now());

        try (TopicTail expanded = TopicTail.from(TestInfra.topic(Topics.PUSH_EXPANDED))) {
            Pushes.publish(publisher, original, eventId);
            assertTrue(decode(expanded.await(r -> eventId.equals(ceId(r)))).changes().get(0).commitsComplete());
            Pushes.publish(publisher, replay, eventId);
            assertOnlyThisFollows(expanded, original.repository());
        }
    }

    @Test
    void cloudCreatedBranchListsOnlyTheCommitsNewToTheRepository() throws Exception {
        String mainTip = BitbucketFakes.cloud().branchTip("acme", "infra", "main");
        for (int i = 0; i < 6; i++) {
            cloudCommit("infra", "feature", "feature/f" + i + ".yaml", "feature " + i, i == 0 ? mainTip : null);
        }
        String head = BitbucketFakes.cloud().branchTip("acme", "infra", "feature");
        List<String> expected = history(BitbucketFakes.cloud().git("acme", "infra"), head, mainTip);
        PushEvent push = push(Provider.BITBUCKET_CLOUD, CLOUD, cloudRepository("infra"), new RefChange(RefType.BRANCH, "feature",
                null, head, true, false, false, expected.subList(0, 5).stream().map(Pushes::bareCommit).toList(), true, false));

        RefChange change = expand(push).changes().get(0);
        assertEquals(expected, change.commits().stream().map(Commit::hash).toList());
        assertEquals(6, change.commits().size());
        assertTrue(change.commitsComplete());
        assertEquals(IntStream.range(0, 6).mapToObj(i -> "feature/f" + i + ".yaml").toList(), change.paths());
    }

    @Test
    void serverPushWithThreeRefsIsExpanded() throws Exception {
        BitbucketServerFake server = BitbucketFakes.server();
        String base = server.repository("OPS", "platform").git().resolve("refs/heads/main").name();
        createServerBranch("doomed", base);
        server.deleteRef("OPS", "platform", "refs/heads/doomed", BitbucketServerFake.SANDBOX_USER);
        String m1 = server.commitFiles("OPS", "platform", "main", java.util.Map.of("apps/a.yaml", "a: 1\n"), "Add a", "sandbox");
        String m2 = server.commitFiles("OPS", "platform", "main", java.util.Map.of("apps/b.yaml", "b: 1\n"), "Add b", "sandbox");
        createServerBranch("release", m2);
        String r1 = server.commitFiles("OPS", "platform", "release", java.util.Map.of("release.txt", "1.0\n"), "Release", "sandbox");
        RepositoryRef repository = Pushes.serverRepository();
        PushEvent push = push(Provider.BITBUCKET_SERVER, SERVER, repository,
                new RefChange(RefType.BRANCH, "main", base, m2, false, false, false, List.of(), false, false),
                new RefChange(RefType.BRANCH, "release", null, r1, true, false, false, List.of(), false, false),
                new RefChange(RefType.BRANCH, "doomed", base, null, false, true, false, List.of(), false, false));

        List<RefChange> changes = expand(push).changes();
        assertEquals(List.of(m2, m1), changes.get(0).commits().stream().map(Commit::hash).toList());
        assertEquals(List.of("apps/a.yaml", "apps/b.yaml"), changes.get(0).paths());
        assertEquals("Add b", changes.get(0).commits().get(0).message().strip());
        assertEquals(List.of(r1), changes.get(1).commits().stream().map(Commit::hash).toList(), "only the commit new to the repository");
        assertEquals(List.of("release.txt"), changes.get(1).paths());
        assertEquals(List.of(), changes.get(2).commits());
        assertEquals(List.of(), changes.get(2).paths());
        assertTrue(changes.stream().allMatch(RefChange::commitsComplete));
    }

    @Test
    void pushOfACredentialThatIsDownPassesThroughWithAReason() throws Exception {
        FakeCredentialService.get().down("down-credential");
        RefChange delivered = new RefChange(RefType.BRANCH, "main", "a".repeat(40), "b".repeat(40), false, false, false,
                List.of(bareCommit("b".repeat(40))), true, false);
        RefChange change = expand(push(Provider.BITBUCKET_CLOUD, "down-credential", cloudRepository("game"), delivered))
                .changes().get(0);
        assertEquals(delivered.commits(), change.commits());
        assertFalse(change.commitsComplete());
        assertNull(change.paths());
        assertTrue(change.expansionNote().contains("down"), change.expansionNote());
    }

    @Test
    void aCredentialThatGoesDownIsNoticedAtOnceThroughItsLifecycleEvent() throws Exception {
        FakeCredentialService.get().put("going-down", FakeCredentialService.get().authorization(CLOUD));
        RefChange deleted = new RefChange(RefType.BRANCH, "old", "d".repeat(40), null, false, true, false, List.of(), false, false);
        RefChange update = new RefChange(RefType.BRANCH, "main", "a".repeat(40), "b".repeat(40), false, false, false, List.of(), true, false);
        assertTrue(expand(push(Provider.BITBUCKET_CLOUD, "going-down", cloudRepository("game"), update)).changes().get(0)
                .expansionNote().startsWith("Bitbucket answered 404"), "the authorization is held");

        FakeCredentialService.get().down("going-down");
        publisher.publish(EventType.CREDENTIAL_LIFECYCLE, "going-down", CloudEventHeaders.of(UUID.randomUUID().toString(),
                EventType.CREDENTIAL_LIFECYCLE, "/credentials", Instant.now()), new CredentialLifecycleEvent(UUID.randomUUID().toString(),
                "going-down", CredentialLifecycleEvent.Type.STATUS_CHANGED, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, "going down",
                CredentialLifecycleEvent.Status.DOWN, "token revoked", null, null, Instant.now())).toCompletableFuture().get(30, TimeUnit.SECONDS);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            String note = expand(push(Provider.BITBUCKET_CLOUD, "going-down", cloudRepository("game"), update, deleted))
                    .changes().get(0).expansionNote();
            return note.contains("is down");
        });
    }

    @Test
    void expansionThatKeepsFailingIsDeadLetteredAndTheNextPushStillFlows() throws Exception {
        FakeCredentialService.get().put("unreachable", new Authorization("Bearer x", null, "http://127.0.0.1:1", null, null, null,
                false, CredentialKind.BITBUCKET_SERVER_TOKEN, Provider.BITBUCKET_SERVER));
        RepositoryRef repository = cloudRepository("game");
        PushEvent failing = push(Provider.BITBUCKET_SERVER, "unreachable", repository,
                new RefChange(RefType.BRANCH, "main", "a".repeat(40), "b".repeat(40), false, false, false, List.of(), false, false));
        PushEvent next = push(Provider.BITBUCKET_CLOUD, CLOUD, repository,
                new RefChange(RefType.BRANCH, "gone", "c".repeat(40), null, false, true, false, List.of(), false, false));
        try (TopicTail deadLetters = TopicTail.from(Topics.deadLetter(TestInfra.topic(Topics.PUSH), "scraper-service"));
             TopicTail expanded = TopicTail.from(TestInfra.topic(Topics.PUSH_EXPANDED))) {
            publish(failing);
            publish(next);
            deadLetters.await(r -> failing.deliveryId().equals(ceId(r)));
            RefChange deleted = decode(expanded.await(r -> next.deliveryId().equals(ceId(r)))).changes().get(0);
            assertTrue(deleted.commitsComplete());
            expanded.assertNothingElse();
        }
    }

    @Test
    void rateLimitBurstsAreAbsorbedWithoutLoss() throws Exception {
        List<PushEvent> pushes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String old = BitbucketFakes.cloud().branchTip("acme", "game", "main");
            cloudCommit("game", "main", "burst/b" + i + ".txt", "burst " + i, null);
            String head = BitbucketFakes.cloud().branchTip("acme", "game", "main");
            pushes.add(push(Provider.BITBUCKET_CLOUD, CLOUD, cloudRepository("game"), new RefChange(RefType.BRANCH, "main", old,
                    head, false, false, false, List.of(bareCommit(head)), false, false)));
        }
        // Cloud's 429 carries no Retry-After: the expansion backs off and tries again
        BitbucketFakes.cloud().faults().arm(Fault.rateLimited(8).onPath("/2.0/repositories/acme/game"));
        try (TopicTail deadLetters = TopicTail.from(Topics.deadLetter(TestInfra.topic(Topics.PUSH), "scraper-service"));
             TopicTail expanded = TopicTail.from(TestInfra.topic(Topics.PUSH_EXPANDED))) {
            for (PushEvent push : pushes) {
                publish(push);
            }
            for (int i = 0; i < pushes.size(); i++) {
                String id = pushes.get(i).deliveryId();
                RefChange change = decode(expanded.await(r -> id.equals(ceId(r)))).changes().get(0);
                assertEquals(List.of("burst/b" + i + ".txt"), change.paths());
                assertTrue(change.commitsComplete());
            }
            assertTrue(BitbucketFakes.cloud().faults().armed().isEmpty(), "every 429 was answered");
            deadLetters.assertNothingElse();
            expanded.assertNothingElse();
        }
    }

    // ---- helpers ----

    /**
     * Publishes a new push of the same repository (so the same partition, handled after everything before it) and
     * asserts that its expansion is the only record that followed.
     */
    private void assertOnlyThisFollows(TopicTail expanded, RepositoryRef repository) throws Exception {
        PushEvent marker = push(Provider.BITBUCKET_CLOUD, CLOUD, repository,
                new RefChange(RefType.BRANCH, "marker", "f".repeat(40), null, false, true, false, List.of(), false, false));
        publish(marker);
        expanded.await(r -> marker.deliveryId().equals(ceId(r)));
        expanded.assertNothingElse();
    }

    private PushEvent expand(PushEvent push) throws Exception {
        return Pushes.expand(publisher, push);
    }

    private void publish(PushEvent push) throws Exception {
        Pushes.publish(publisher, push);
    }

    /** {@code git log head ^old}, newest first. */
    private static List<String> history(org.eclipse.jgit.lib.Repository repository, String head, String old) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (RevCommit commit : Git.wrap(repository).log().addRange(ObjectId.fromString(old), ObjectId.fromString(head)).call()) {
            hashes.add(commit.name());
        }
        return hashes;
    }

    private static void createServerBranch(String name, String startPoint) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BitbucketFakes.server().baseUrl()
                        + "/rest/api/1.0/projects/OPS/repos/platform/branches"))
                .header("Authorization", "Bearer " + BitbucketServerFake.SANDBOX_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"startPoint\":\"" + startPoint + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
