package io.bitbridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.deploy.SandboxFlow;
import io.bitbridge.events.Topics;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.testkit.TopicTail;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 7: PostgreSQL goes away in the middle of a stream of pushes and comes back; the services recover without a
 * restart of their own and nothing is lost. The services reach PostgreSQL through the stack's database relay, which is
 * cut for {@link #OUTAGE} (the shared server itself is never touched). Tagged Cloud commits with a task key go to
 * {@code acme/game}, and now and then a person's edit under a GitOps target's path to {@code acme/infra}. Afterwards
 * every push has exactly one Jenkins build, one trigger row, one tracker row and the SUCCESSFUL status on its commit;
 * every edit one {@code gitops.sync.v1} event; no record was dead-lettered; every service runs in the same process.
 */
class DatabaseOutageE2ETest {
    private static final String REPOSITORY = "acme/game";
    private static final String INFRA = "acme/infra";
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final Duration PACE = Duration.ofMillis(750);
    private static final int BEFORE_CUT = 6;
    private static final int AFTER_RESTORE = 6;
    /** Every fourth push is a person's edit of the GitOps target. */
    private static final int GITOPS_EVERY = 4;
    /** Each consumer of the stream and the topic it reads. */
    private static final Map<String, String> CONSUMERS = Map.of("scraper-service", Topics.PUSH, "build-trigger", Topics.PUSH_EXPANDED,
            "commit-tracker", Topics.PUSH_EXPANDED, "gitops-writer", Topics.PUSH_EXPANDED);

    private static E2EStack stack;
    private static SandboxFlow flow;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        stack = E2EStack.start(E2EStack.Options.behindDatabaseRelay("e2e-outage-stack"));
        flow = stack.flow();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPostgresOutageInTheMiddleOfAStreamOfPushesLosesNothingAndRestartsNoService() throws Exception {
        long started = System.nanoTime();
        String credential = flow.cloudCredential("e2e-outage");
        flow.registerWebhook(credential, REPOSITORY);
        String targetId = flow.attachTarget(credential, INFRA, "main", "prod", "e2e7").path("id").asText();
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
}
