package io.bitbridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.deploy.Demo;
import io.bitbridge.common.auth.Roles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.bitbridge.deploy.SandboxFlow;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.events.Topics;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.testkit.TopicTail;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole flow, in the order of the scenarios: a tagged commit through the whole stack (Bitbucket Cloud fake,
 * webhook-gateway, Kafka, scraper-service, build-trigger, Jenkins fake, commit-tracker, the build status back on the
 * commit); every webhook delivered once more; a Bitbucket Server push of three refs; GitOps; a Kafka outage; a
 * PostgreSQL outage. One stack for all of them (starting six services is most of the time), its services reaching
 * PostgreSQL through a relay that the last scenario cuts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BitbridgeE2ETest {
    private static final String REPOSITORY = "acme/game";
    private static final String INFRA = "acme/infra";
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final Duration PACE = Duration.ofMillis(750);
    private static final int BEFORE_CUT = 6;
    private static final int AFTER_RESTORE = 6;
    /** Every fourth push of scenario 7 is a person's edit of the GitOps target. */
    private static final int GITOPS_EVERY = 4;
    /** Each consumer of the stream and the topic it reads. */
    private static final Map<String, String> CONSUMERS = Map.of("scraper-service", Topics.PUSH, "build-trigger", Topics.PUSH_EXPANDED,
            "commit-tracker", Topics.PUSH_EXPANDED, "gitops-writer", Topics.PUSH_EXPANDED);

    private static E2EStack stack;
    private static SandboxFlow flow;
    private static String credential;
    private static String commit;
    private static String gitopsCredential;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        stack = E2EStack.start(E2EStack.Options.behindDatabaseRelay("e2e-stack"));
        flow = stack.flow();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Scenario 1 as {@code ./bitbridge demo} walks it, with what each step must have done checked apart. */
    @Test
    @Order(1)
    void aTaggedCloudCommitStartsOneBuildIsTrackedAndReportsItsStatus() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        commit = Demo.walk(flow, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String steps = printed.toString(StandardCharsets.UTF_8);
        for (int step = 1; step <= 9; step++) {
            String number = step + ". ";
            assertTrue(steps.lines().anyMatch(line -> line.startsWith(number)), "step " + number + "printed: " + steps);
        }
        assertTrue(steps.contains("webhook on acme/game: CREATED"), steps);
        assertTrue(steps.contains("build status on the commit: INPROGRESS") && steps.contains("-> SUCCESSFUL\n"), steps);
        credential = flow.cloudCredential(Demo.CREDENTIAL);

        flow.deliveriesOf(commit);
        stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
        List<JsonNode> attempts = flow.deliveriesOf(commit);
        JsonNode delivery = attempts.get(attempts.size() - 1);
        assertEquals(202, delivery.path("status").asInt(), "accepted, at the latest on Bitbucket's retry: " + attempts);
        assertTrue(attempts.subList(0, attempts.size() - 1).stream().allMatch(a -> a.path("status").asInt() == 503),
                "an attempt before is only ever the gateway's 503 (retried): " + attempts);
        assertTrue(delivery.path("headers").path("X-Hub-Signature").asText().startsWith("sha256="), "signed: " + delivery);
        assertEquals("accepted", flow.gatewayVerdict(credential, delivery.path("headers").path("X-Request-UUID").asText())
                .path("verdict").asText());

        List<String> states = flow.buildStates(REPOSITORY, commit);
        assertEquals("INPROGRESS", states.get(0), "the build is reported started first: " + states);
        assertEquals("SUCCESSFUL", states.get(states.size() - 1), states.toString());

        var triggers = stack.triggersOf(commit);
        assertEquals(1, triggers.size(), "exactly one build: " + triggers);
        assertEquals("GameBuild", triggers.get(0).jobPath());
        assertEquals("main", triggers.get(0).parameters().get("BRANCH"));
        assertEquals(1, flow.triggerDecisions(commit, list -> !list.isEmpty()).size());

        JsonNode link = flow.taskLinks("GAME-123", commit).get(0);
        assertTrue(link.toString().contains(commit), link.toString());
        assertTrue(flow.statuses(REPOSITORY, commit).stream().anyMatch(s -> "SUCCESSFUL".equals(s.path("state").asText())));
    }

    @Test
    @Order(2)
    void everyWebhookDeliveredAgainStartsNoSecondBuildAndStoresNothingTwice() {
        assertNotNull(commit, "runs after the first scenario");
        int before = stack.cloud.deliveries().size();
        List<JsonNode> linksBefore = flow.taskLinks("GAME-123", commit);
        long linkRowsBefore = stack.rows("tracker.task_links", "task_key", "GAME-123");

        stack.cloud.resendDeliveries();
        stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
        List<DeliveryAttempt> resent = stack.cloud.deliveries().subList(before, stack.cloud.deliveries().size());
        assertFalse(resent.isEmpty());
        assertTrue(resent.stream().allMatch(a -> a.status() == 202), "the gateway accepts a resent delivery again: " + resent);

        // Pushes of one repository share a partition: once a later push has had its effect, the resent ones were read.
        String marker = flow.commit(REPOSITORY, "main", "GAME-124: Marker #jenkins:GameBuild", "textures/marker.txt", "m\n");
        flow.buildStates(REPOSITORY, marker);
        flow.taskLinks("GAME-124", marker);

        assertEquals(1, stack.triggersOf(commit).size(), "no second build: " + stack.triggersOf(commit));
        assertEquals(1, flow.triggerDecisions(commit, list -> true).size(), "one decision");
        assertEquals(linksBefore.size(), flow.taskLinks("GAME-123", commit).size(), "no second task link");
        assertEquals(1, stack.rows("builds.build_trigger", "commit_hash", commit), "one trigger row");
        assertEquals(1, stack.rows("tracker.commits", "hash", commit), "one commit row");
        assertEquals(linkRowsBefore, stack.rows("tracker.task_links", "task_key", "GAME-123"), "no task link row twice");
        assertEquals(1, stack.triggersOf(marker).size());
    }


    @Test
    @Order(3)
    void aServerPushOfThreeRefsWithoutCommitListsIsExpandedAndBuildsEachHead(@TempDir Path work) throws Exception {
        String serverCredential = flow.serverCredential("e2e-ops", stack.server.baseUrl());
        assertEquals("CREATED", flow.registerWebhook(serverCredential, "OPS/platform"));
        int deliveriesBefore = stack.server.deliveries().size();

        List<String> heads = new ArrayList<>();
        var login = new UsernamePasswordCredentialsProvider(BitbucketServerFake.SANDBOX_USER, BitbucketServerFake.SANDBOX_TOKEN);
        try (Git git = Git.cloneRepository().setURI(stack.server.cloneUrl("OPS", "platform")).setDirectory(work.toFile())
                .setCredentialsProvider(login).call()) {
            List<RefSpec> refs = new ArrayList<>();
            for (String part : List.of("a", "b", "c")) {
                git.checkout().setName("main").call();
                git.checkout().setCreateBranch(true).setName("feature/" + part).call();
                Files.writeString(work.resolve("part-" + part + ".txt"), part + "\n");
                git.add().addFilepattern("part-" + part + ".txt").call();
                git.commit().setMessage("GAME-200: Part " + part + " #jenkins:GameBuild").setAuthor("Dev", "dev@example.com").call();
                heads.add(git.getRepository().resolve("HEAD").name());
                refs.add(new RefSpec("refs/heads/feature/" + part + ":refs/heads/feature/" + part));
            }
            git.push().setRefSpecs(refs).setCredentialsProvider(login).call();
        }

        stack.server.awaitDeliveries(E2EStack.PATIENCE);
        List<DeliveryAttempt> deliveries = stack.server.deliveries().subList(deliveriesBefore, stack.server.deliveries().size());
        assertEquals(1, deliveries.size(), "one push, one delivery: " + deliveries);
        assertEquals(202, deliveries.get(0).status(), deliveries.get(0).toString());
        JsonNode payload = new ObjectMapper().readTree(deliveries.get(0).bodyText());
        assertEquals(3, payload.path("changes").size(), payload.toString());
        assertFalse(deliveries.get(0).bodyText().contains("\"commits\""), "no commit list: scraper-service completes the push");

        for (String head : heads) {
            List<String> states = flow.serverBuildStates(stack.server.baseUrl(), "OPS", "platform", head);
            assertEquals("INPROGRESS", states.get(0), states.toString());
            assertEquals("SUCCESSFUL", states.get(states.size() - 1), states.toString());
            assertEquals(1, stack.triggersOf(head).size(), "one build per pushed head: " + stack.triggersOf(head));
            assertEquals("GameBuild", stack.triggersOf(head).get(0).jobPath());
            flow.taskLinks("GAME-200", head);
        }
    }

    @Test
    @Order(4)
    void aDesiredStateIsOneCommitAndOnlyAPersonsEditUnderThePathIsSyncedBack() throws Exception {
        gitopsCredential = flow.cloudCredential("e2e-gitops");
        JsonNode target = flow.attachTarget(gitopsCredential, "acme/infra", "main", "prod", "e2e1");
        assertEquals("registered", target.path("webhook").asText(), target.toString());
        String targetId = target.path("id").asText();
        String before = stack.cloud.branchTip("acme", "infra", "main");

        try (TopicTail sync = TopicTail.from(stack.broker.bootstrapServers(), Topics.GITOPS_SYNC + "." + stack.topicSuffix)) {
            JsonNode result = flow.commitDesiredState(targetId, "e2e-desired-1", "Desired state for prod",
                    Map.of("values.yaml", "replicas: 2\n", "apps/web.yaml", "image: web:1\n"));
            assertEquals("COMMITTED", result.path("status").asText(), result.toString());
            String ours = result.path("commit").asText();
            assertEquals(ours, stack.cloud.branchTip("acme", "infra", "main"), "the desired state is the branch's head");
            try (RevWalk walk = new RevWalk(stack.cloud.git("acme", "infra"))) {
                RevCommit commit = walk.parseCommit(ObjectId.fromString(ours));
                assertEquals(before, commit.getParent(0).name(), "one commit on top of the previous head, both files in it");
            }

            String persons = flow.commit("acme/infra", "main", "Scale prod up by hand", "clusters/prod-e2e1/values.yaml", "replicas: 3\n");

            var record = sync.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains(persons));
            JsonNode event = new ObjectMapper().readTree(record.value());
            assertEquals(targetId, event.path("target").asText(), event.toString());
            assertTrue(event.path("outsideEdit").asBoolean(), event.toString());
            // Our own commit reached gitops-writer first (one repository, one partition) and published nothing.
            sync.assertNothingElse();
        }
    }

    /**
     * The broker goes away while a webhook arrives: the gateway answers 503 to every attempt (nothing acknowledged that is
     * not on Kafka); once it is back and the delivery is resent, every push the gateway acknowledged, before, during and
     * after the outage, has its build and its task link exactly once.
     */
    @Test
    @Order(5)
    void whileKafkaIsDownTheGatewayAnswers503AndNothingItAcknowledgedIsLost() throws Exception {
        String before = flow.commit(REPOSITORY, "main", "GAME-300: Before the outage #jenkins:GameBuild", "o/before.txt", "b\n");
        flow.deliveriesOf(before);

        stack.broker.stop();
        String during = flow.commit(REPOSITORY, "main", "GAME-301: During the outage #jenkins:GameBuild", "o/during.txt", "d\n");
        stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
        List<DeliveryAttempt> refused = attemptsOf(during);
        assertEquals(3, refused.size(), "Bitbucket Cloud tries three times: " + refused);
        assertTrue(refused.stream().allMatch(a -> a.status() == 503), "nothing unpublished is acknowledged: " + refused);

        stack.broker.start();
        stack.stack.awaitHealthy();
        // As a person does from the hook's request log once the gateway is back: "Resend request".
        stack.cloud.resendDeliveries();
        stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
        List<DeliveryAttempt> resent = attemptsOf(during);
        assertEquals(202, resent.get(resent.size() - 1).status(), resent.toString());
        String after = flow.commit(REPOSITORY, "main", "GAME-302: After the outage #jenkins:GameBuild", "o/after.txt", "a\n");
        flow.deliveriesOf(after);

        int task = 300;
        for (String commit : List.of(before, during, after)) {
            List<String> states = flow.buildStates(REPOSITORY, commit);
            assertEquals("SUCCESSFUL", states.get(states.size() - 1), commit + ": " + states);
            JsonNode link = flow.taskLinks("GAME-" + task++, commit).get(0);
            assertTrue(link.toString().contains(commit));
        }
        // The pushes of one repository share a partition: after's build means before's resent delivery was read too.
        for (String commit : List.of(before, during, after)) {
            assertEquals(1, stack.triggersOf(commit).size(), "one build of " + commit + ": " + stack.triggersOf(commit));
            assertEquals(1, stack.rows("builds.build_trigger", "commit_hash", commit));
            assertEquals(1, stack.rows("tracker.commits", "hash", commit));
        }
    }

    /**
     * Scenario 7: PostgreSQL goes away in the middle of a stream of pushes and comes back; the services recover without a
     * restart of their own and nothing is lost. The services reach PostgreSQL through the stack's database relay, which is
     * cut for {@link #OUTAGE} (the shared server itself is never touched). Tagged Cloud commits with a task key go to
     * {@code acme/game}, and now and then a person's edit under a GitOps target's path to {@code acme/infra}. Afterwards
     * every push has exactly one Jenkins build, one trigger row, one tracker row and the SUCCESSFUL status on its commit;
     * every edit one {@code gitops.sync.v1} event; no record was dead-lettered; every service runs in the same process.
     */
    @Test
    @Order(6)
    void aPostgresOutageInTheMiddleOfAStreamOfPushesLosesNothingAndRestartsNoService() throws Exception {
        long started = System.nanoTime();
        assertNotNull(gitopsCredential, "runs after the GitOps scenario, on its credential and hooks");
        String targetId = flow.attachTarget(gitopsCredential, INFRA, "main", "prod", "e2e7").path("id").asText();
        // One push through everything first: the gateway holds the hook's secret, the services their connections.
        String first = flow.commit(REPOSITORY, "main", "GAME-700: Before the stream #jenkins:GameBuild", "outage/first.txt", "f\n");
        assertEquals("SUCCESSFUL", last(flow.buildStates(REPOSITORY, first)));
        Map<String, Long> pids = stack.stack.pids();

        Map<String, String> pushes = new LinkedHashMap<>(); // commit -> its task key
        pushes.put(first, "GAME-700");
        List<String> edits = new ArrayList<>();
        List<TopicTail> deadLetters = new ArrayList<>();
        String suffix = "." + stack.topicSuffix;
        try (TopicTail sync = TopicTail.from(stack.broker.bootstrapServers(), Topics.GITOPS_SYNC + suffix)) {
            CONSUMERS.forEach((service, topic) -> deadLetters.add(
                    TopicTail.from(stack.broker.bootstrapServers(), Topics.deadLetter(topic + suffix, service))));
            long cutAt = 0;
            long restoredAt = 0;
            int afterRestore = 0;
            for (int i = 1; afterRestore < AFTER_RESTORE; i++) {
                if (i == BEFORE_CUT + 1) {
                    stack.databaseRelay.cut();
                    cutAt = System.nanoTime();
                }
                if (cutAt != 0 && restoredAt == 0 && System.nanoTime() - cutAt >= OUTAGE.toNanos()) {
                    assertServicesAnswer503WithoutTheirDatabase();
                    stack.databaseRelay.restore();
                    restoredAt = System.nanoTime();
                }
                if (restoredAt != 0) {
                    afterRestore++;
                }
                if (i % GITOPS_EVERY == 0) {
                    edits.add(flow.commit(INFRA, "main", "Scale prod by hand " + i, "clusters/prod-e2e7/values.yaml", "replicas: " + i + "\n"));
                } else {
                    String task = "GAME-" + (700 + i);
                    pushes.put(flow.commit(REPOSITORY, "main", task + ": Push " + i + " #jenkins:GameBuild", "outage/push-" + i + ".txt",
                            i + "\n"), task);
                }
                Thread.sleep(PACE.toMillis()); // the stream's pace, not a wait for an effect
            }
            stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
            List<DeliveryAttempt> refused = stack.cloud.deliveries().stream().filter(a -> a.status() / 100 != 2).toList();
            assertTrue(refused.stream().allMatch(a -> a.status() == 503), "only 503s, which Bitbucket retries: " + refused);

            pushes.forEach((commit, task) -> {
                assertEquals("SUCCESSFUL", last(flow.buildStates(REPOSITORY, commit)), commit);
                assertTrue(flow.taskLinks(task, commit).get(0).toString().contains(commit), task);
            });
            for (String commit : pushes.keySet()) {
                assertEquals(1, stack.triggersOf(commit).size(), "one build of " + commit + ": " + stack.triggersOf(commit));
                assertEquals(1, stack.rows("builds.build_trigger", "commit_hash", commit), "one trigger row of " + commit);
                assertEquals(1, stack.rows("tracker.commits", "hash", commit), "one tracker row of " + commit);
            }
            Map<String, Integer> synced = new HashMap<>();
            for (String edit : edits) {
                ConsumerRecord<byte[], byte[]> record = sync.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains(edit));
                JsonNode event = new ObjectMapper().readTree(record.value());
                assertEquals(targetId, event.path("target").asText(), event.toString());
                synced.merge(edit, 1, Integer::sum);
            }
            sync.assertNothingElse();
            edits.forEach(edit -> assertEquals(1, synced.get(edit), "one sync event of " + edit));
            deadLetters.forEach(TopicTail::assertNothingElse);
        } finally {
            stack.databaseRelay.restore();
            deadLetters.forEach(TopicTail::close);
        }
        stack.stack.awaitHealthy();
        assertEquals(pids, stack.stack.pids(), "no service was restarted");
        pids.forEach((service, pid) -> assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), service));
        System.out.printf("scenario 7: %d pushes, %d GitOps edits, a %d s outage: %.1f s%n", pushes.size(), edits.size(),
                OUTAGE.toSeconds(), (System.nanoTime() - started) / 1e9);
    }

    /**
     * While PostgreSQL is away, readiness reports it and the APIs answer 503 problem+json (with {@code Retry-After})
     * rather than 500: tried on a service of each kind of data access.
     */
    private void assertServicesAnswer503WithoutTheirDatabase() throws Exception {
        String token = stack.token(Roles.ADMIN);
        Map<String, String> apis = Map.of("build-trigger", "/api/triggers?commit=0000000", "commit-tracker", "/api/tasks/GAME-700",
                "credential-service", "/api/credentials");
        for (Map.Entry<String, String> api : apis.entrySet()) {
            String base = stack.url(api.getKey());
            await().atMost(E2EStack.PATIENCE).until(() -> get(base + "/q/health/ready", null).statusCode() == 503);
            HttpResponse<String> answer = get(base + api.getValue(), token);
            assertEquals(503, answer.statusCode(), api + ": " + answer.body());
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""), api.toString());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent(), api.toString());
        }
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String last(List<String> states) {
        return states.get(states.size() - 1);
    }

    private static List<DeliveryAttempt> attemptsOf(String commit) {
        return stack.cloud.deliveries().stream().filter(a -> a.bodyText().contains(commit)).toList();
    }
}
