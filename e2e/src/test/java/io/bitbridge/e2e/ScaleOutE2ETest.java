package io.bitbridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.deploy.SandboxFlow;
import io.bitbridge.deploy.Stack;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Topics;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.testkit.TopicTail;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Scenario 6, scale-out with {@code kill -9}: two instances of every consumer service (scraper-service, commit-tracker,
 * build-trigger, gitops-writer) in their consumer groups on topics of {@value E2EStack#PARTITIONS} partitions; one
 * instance of each is killed with SIGKILL once about a third of a stream of {@value #PUSHES} pushes was acknowledged
 * by the gateway and every consumer service has begun acting on them, while the rest keeps coming (its last third waits
 * for the kill, so the kill falls mid-stream however slow the machine). Every push must then have its effect exactly
 * once: one commit row in commit-tracker, one build request at Jenkins and one build-trigger row (its head commit), and,
 * for the pushes that are a person's edit under the GitOps target's path, exactly one gitops.sync.v1 record.
 *
 * <p>What is proven for GitOps is sync-back (an edit made in the repository reaches the platform once), which runs on
 * the same push stream as the other consumers. Desired-state writes are not part of the stream: a commit request whose
 * writing a crash cuts off stays {@code PENDING} and is not written again (gitops-writer README, "Failure behaviour"),
 * so gitops-writer does not promise one commit per request across a {@code kill -9} today.
 *
 * <p>Each instance runs one consumer per topic (concurrency 1), so with two instances and three partitions both own
 * partitions of every topic they read (checked before the kill): the instance killed always takes partitions with it.
 * The consumers' session timeout is 10 s (Kafka's default is 45 s) so the survivors take over the partitions soon.
 *
 * <p>The sandbox's {@code GameBuild} defines only BRANCH and COMMIT, as many real jobs do: a call the kill interrupted is
 * recognised in Jenkins by those (Jenkins drops {@code TRIGGERED_BY}), not triggered again.
 */
class ScaleOutE2ETest {
    private static final int PUSHES = 500;
    /** Pushes per second, all repositories together: the stream lasts long enough for the kill to fall in its middle. */
    private static final int PUSHES_PER_SECOND = 30;
    private static final Duration CONVERGENCE = Duration.ofMinutes(3);
    private static final List<String> CONSUMERS = List.of("scraper-service", "commit-tracker", "build-trigger", "gitops-writer");
    private static final String GITOPS_REPOSITORY = "acme/infra";
    private static final String TARGET_PATH = "clusters/prod-scale/";
    private static final List<String> REPOSITORIES = List.of("acme/game", GITOPS_REPOSITORY, "tools/scripts",
            "acme/engine", "acme/assets", "tools/pipelines");
    /** The topics each consumer service reads in its shared consumer group (named after the service). */
    private static final Map<String, String> TOPIC_OF = Map.of("scraper-service", Topics.PUSH,
            "commit-tracker", Topics.PUSH_EXPANDED, "build-trigger", Topics.PUSH_EXPANDED, "gitops-writer", Topics.PUSH_EXPANDED);

    private static E2EStack stack;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        // A crashed member of a consumer group is noticed after 10 s.
        properties.put("kafka.session.timeout.ms", "10000");
        // One consumer per instance and topic (gitops-writer has one already).
        Map<String, Map<String, String>> serviceProperties = new LinkedHashMap<>();
        TOPIC_OF.forEach((service, topic) -> serviceProperties.put(service, Map.of("mp.messaging.incoming.\"" + topic + "\".concurrency", "1")));
        // scraper-service paces its Bitbucket calls to 600 an hour per credential; the Cloud fake has no such limit.
        properties.put("bitbridge.scraper.budget.requests-per-hour", "3600000");
        properties.put("bitbridge.scraper.budget.burst", "1000");
        stack = E2EStack.start(new E2EStack.Options("e2e-scale-stack", properties, serviceProperties,
                List.of("acme/engine", "acme/assets", "tools/pipelines"), CONSUMERS, false));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killingOneInstanceOfEachConsumerMidStreamLeavesEveryPushWithItsEffectsExactlyOnce() throws Exception {
        String topicSuffix = "." + stack.topicSuffix;
        try (Admin admin = stack.broker.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(Arrays.stream(EventType.values())
                    .map(type -> type.topic() + topicSuffix).toList()).allTopicNames().get(30, TimeUnit.SECONDS);
            topics.forEach((name, topic) -> assertEquals(E2EStack.PARTITIONS, topic.partitions().size(), name));
            awaitEveryInstanceOwnsPartitions(admin, topicSuffix);
        }
        SandboxFlow flow = stack.flow();
        String credential = flow.cloudCredential("scale-out");
        for (String repository : REPOSITORIES) {
            if (!repository.equals(GITOPS_REPOSITORY)) {
                assertEquals("CREATED", flow.registerWebhook(credential, repository), repository);
            }
        }
        JsonNode target = flow.attachTarget(credential, GITOPS_REPOSITORY, "main", "prod", "scale");
        assertEquals("registered", target.path("webhook").asText(), target.toString());

        try (TopicTail syncs = TopicTail.from(stack.broker.bootstrapServers(), Topics.GITOPS_SYNC + topicSuffix)) {
            long started = System.nanoTime();
            Stream stream = new Stream(flow);
            stream.awaitAcknowledged(PUSHES / 3);
            // Every consumer service is at work: each effect has begun (scraper-service's expansions come first).
            Effects effects = new Effects(syncs);
            Map<String, Integer> progress = effects.awaitBegun(stream.commits());
            int acknowledgedAtKill = stream.acknowledged();
            Instant killedAt = Instant.now();
            List<String> killed = new ArrayList<>();
            for (String service : CONSUMERS) {
                Stack.Instance instance = stack.stack.instances(service).get(1);
                int exitCode = stack.stack.kill(instance);
                assertEquals(137, exitCode, instance.name() + " ended by SIGKILL (128 + 9)");
                assertFalse(instance.process().toHandle().isAlive(), instance.name());
                killed.add(instance.name());
            }
            List<Push> pushes = stream.finish();
            assertTrue(acknowledgedAtKill < PUSHES, "the kill falls in the middle of the stream: " + acknowledgedAtKill);
            progress.forEach((effect, count) -> assertTrue(count < expected(effect, pushes).size(),
                    "the kill falls in the middle of the work: " + progress));
            assertEquals(PUSHES, stream.acknowledged(), "every push acknowledged by the gateway: " + stream.unacknowledged());
            long streamed = System.nanoTime();

            Map<String, Map<String, Long>> counted = effects.awaitAll(pushes);
            long converged = System.nanoTime();
            syncs.assertNothingElse();

            System.out.printf("""
                    scale-out: %d pushes over %d repositories (%d partitions per topic), stream %.1f s, all effects %.1f s later
                      killed with SIGKILL after %d pushes were acknowledged: %s
                      commits with each effect at the kill: %s
                    """, PUSHES, REPOSITORIES.size(), E2EStack.PARTITIONS, (streamed - started) / 1e9, (converged - streamed) / 1e9,
                    acknowledgedAtKill, String.join(", ", killed), progress);
            counted.forEach((effect, counts) -> System.out.printf("  %-26s expected %3d, exactly once %3d, missing %d, more than once %d%n",
                    effect, expected(effect, pushes).size(), counts.values().stream().filter(n -> n == 1).count(),
                    expected(effect, pushes).stream().filter(c -> !counts.containsKey(c)).count(),
                    counts.values().stream().filter(n -> n > 1).count()));
            counted.forEach((effect, counts) -> {
                List<String> wrong = expected(effect, pushes).stream().filter(c -> counts.getOrDefault(c, 0L) != 1).toList();
                assertTrue(wrong.isEmpty(), effect + " not exactly once for " + wrong.size() + " pushes (killed at " + killedAt + "): "
                        + wrong.stream().limit(10).map(c -> c + "=" + counts.getOrDefault(c, 0L) + " " + stack.triggersOf(c)
                        + " trigger rows " + stack.rowsText("builds.build_trigger", "commit_hash", c)
                        + " Jenkins requests before the last: " + jenkinsRequestsBefore(c)).toList());
                assertEquals(expected(effect, pushes).size(), counts.size(), effect + " only for the pushes of the stream");
            });
        }
    }

    /** A push of the stream: its commit and repository. */
    private record Push(String commit, String repository) {
        boolean gitops() {
            return repository.equals(GITOPS_REPOSITORY);
        }
    }

    /**
     * The pushes, one thread per repository (a repository's pushes one after another, as one branch's are), paced to
     * {@value #PUSHES_PER_SECOND} a second in all. The last third waits for {@link #release} (the kill): on a slow
     * machine the effects may begin only after the whole stream was sent, and the kill must still fall in its middle.
     */
    private static final class Stream {
        private static final int HELD_FROM = 2 * PUSHES / 3;
        private final ExecutorService pushers = Executors.newFixedThreadPool(REPOSITORIES.size());
        private final Collection<Push> pushed = new ConcurrentLinkedQueue<>();
        private final List<Future<?>> running = new ArrayList<>();
        private final CountDownLatch released = new CountDownLatch(1);

        Stream(SandboxFlow flow) {
            long pause = 1000L * REPOSITORIES.size() / PUSHES_PER_SECOND;
            for (int r = 0; r < REPOSITORIES.size(); r++) {
                String repository = REPOSITORIES.get(r);
                int first = r;
                running.add(pushers.submit(() -> {
                    for (int n = first; n < PUSHES; n += REPOSITORIES.size()) {
                        if (n >= HELD_FROM && !released.await(E2EStack.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the stream was never released");
                        }
                        String path = repository.equals(GITOPS_REPOSITORY) ? TARGET_PATH + "values-" + n + ".yaml" : "scale/push-" + n + ".txt";
                        String commit = flow.commit(repository, "main", "SCALE-" + (n + 1) + ": Push " + n + " #jenkins:GameBuild",
                                path, "push: " + n + "\n");
                        pushed.add(new Push(commit, repository));
                        Thread.sleep(pause);
                    }
                    return null;
                }));
            }
        }

        List<String> commits() {
            return pushed.stream().map(Push::commit).toList();
        }

        /** Pushes whose webhook the gateway answered 202. */
        int acknowledged() {
            Set<String> commits = pushed.stream().map(Push::commit).collect(Collectors.toSet());
            return (int) stack.cloud.deliveries().stream().filter(a -> a.status() == 202)
                    .map(ScaleOutE2ETest::commitOf).filter(commits::contains).distinct().count();
        }

        List<String> unacknowledged() {
            Set<String> accepted = stack.cloud.deliveries().stream().filter(a -> a.status() == 202).map(ScaleOutE2ETest::commitOf)
                    .collect(Collectors.toSet());
            return pushed.stream().map(Push::commit).filter(c -> !accepted.contains(c)).toList();
        }

        void awaitAcknowledged(int count) throws InterruptedException {
            long deadline = System.nanoTime() + E2EStack.PATIENCE.toNanos();
            while (acknowledged() < count) {
                if (System.nanoTime() > deadline) {
                    fail("only " + acknowledged() + " of " + count + " pushes acknowledged within " + E2EStack.PATIENCE.toSeconds() + " s");
                }
                Thread.sleep(100);
            }
        }

        /** Lets the last third of the pushes go. */
        void release() {
            released.countDown();
        }

        /** Waits for the last push and its webhook; the pushes made. */
        List<Push> finish() throws Exception {
            release();
            for (Future<?> pusher : running) {
                pusher.get(2, TimeUnit.MINUTES);
            }
            pushers.shutdown();
            stack.cloud.awaitDeliveries(E2EStack.PATIENCE);
            return List.copyOf(pushed);
        }
    }

    /** What the Jenkins fake was asked just before the commit's last build request, by path shape (numbers as N). */
    private static Map<String, Long> jenkinsRequestsBefore(String commit) {
        var requests = stack.jenkins.http().requests().all();
        int last = -1;
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).method().equals("POST") && requests.get(i).request().bodyText().contains(commit)) {
                last = i;
            }
        }
        return requests.subList(Math.max(0, last - 400), Math.max(0, last)).stream()
                .collect(Collectors.groupingBy(r -> r.method() + " " + r.path().replaceAll("\\d+", "N"), LinkedHashMap::new, Collectors.counting()));
    }

    /** The head commit of a Cloud repo:push delivery. */
    private static String commitOf(DeliveryAttempt attempt) {
        try {
            return new ObjectMapper().readTree(attempt.bodyText()).path("push").path("changes").path(0).path("new").path("target")
                    .path("hash").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until each of the two members of every consumer group holds partitions of the topic it reads. */
    private static void awaitEveryInstanceOwnsPartitions(Admin admin, String topicSuffix) throws Exception {
        long deadline = System.nanoTime() + E2EStack.PATIENCE.toNanos();
        while (true) {
            Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(CONSUMERS).all().get(30, TimeUnit.SECONDS);
            Map<String, List<Integer>> owned = new LinkedHashMap<>();
            groups.forEach((group, description) -> owned.put(group, description.members().stream()
                    .map(member -> partitionsOf(member, TOPIC_OF.get(group) + topicSuffix)).filter(n -> n > 0).toList()));
            if (owned.values().stream().allMatch(members -> members.size() == 2)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("partitions owned per member of each consumer group, two members each expected: " + owned);
            }
            Thread.sleep(200);
        }
    }

    private static int partitionsOf(MemberDescription member, String topic) {
        return (int) member.assignment().topicPartitions().stream().filter(p -> p.topic().equals(topic)).count();
    }

    private static final String TRACKER_ROWS = "commit-tracker commit rows";
    private static final String JENKINS_BUILDS = "Jenkins build requests";
    private static final String TRIGGER_ROWS = "build-trigger rows";
    private static final String SYNC_EVENTS = "gitops.sync.v1 records";

    private static List<String> expected(String effect, List<Push> pushes) {
        return pushes.stream().filter(push -> !effect.equals(SYNC_EVENTS) || push.gitops()).map(Push::commit).toList();
    }

    /** The effects of pushes as they are now: rows, Jenkins build requests and the sync records read so far. */
    private static final class Effects {
        private final TopicTail syncs;
        private final Map<String, Long> syncsPerCommit = new LinkedHashMap<>();

        Effects(TopicTail syncs) {
            this.syncs = syncs;
        }

        /** Each effect's count per commit (commits without it left out). */
        Map<String, Map<String, Long>> of(List<String> commits) {
            Map<String, Map<String, Long>> effects = new LinkedHashMap<>();
            effects.put(TRACKER_ROWS, stack.rowsPer("tracker.commits", "hash", commits));
            Set<String> ours = Set.copyOf(commits);
            effects.put(JENKINS_BUILDS, stack.jenkins.triggers().stream().map(trigger -> trigger.parameters().get("COMMIT"))
                    .filter(ours::contains).collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
            effects.put(TRIGGER_ROWS, stack.rowsPer("builds.build_trigger", "commit_hash", commits));
            for (ConsumerRecord<byte[], byte[]> record : syncs.drain()) {
                syncsPerCommit.merge(json(record.value()).path("toHash").asText(), 1L, Long::sum);
            }
            effects.put(SYNC_EVENTS, Map.copyOf(syncsPerCommit));
            return effects;
        }

        /** Waits until some of the commits have each effect; how many have each. */
        Map<String, Integer> awaitBegun(List<String> commits) throws InterruptedException {
            long deadline = System.nanoTime() + E2EStack.PATIENCE.toNanos();
            while (true) {
                Map<String, Integer> progress = new LinkedHashMap<>();
                of(commits).forEach((effect, counts) -> progress.put(effect, counts.size()));
                if (progress.values().stream().allMatch(n -> n > 0)) {
                    return progress;
                }
                if (System.nanoTime() > deadline) {
                    fail("not every effect began within " + E2EStack.PATIENCE.toSeconds() + " s: " + progress);
                }
                Thread.sleep(200);
            }
        }

        /** Waits until every push has each effect at least once; the count of each effect per commit. */
        Map<String, Map<String, Long>> awaitAll(List<Push> pushes) throws InterruptedException {
            List<String> commits = pushes.stream().map(Push::commit).toList();
            long deadline = System.nanoTime() + CONVERGENCE.toNanos();
            while (true) {
                Map<String, Map<String, Long>> effects = of(commits);
                Map<String, Long> missing = new LinkedHashMap<>();
                effects.forEach((effect, counts) -> missing.put(effect,
                        expected(effect, pushes).stream().filter(c -> !counts.containsKey(c)).count()));
                if (missing.values().stream().allMatch(n -> n == 0)) {
                    return effects;
                }
                if (System.nanoTime() > deadline) {
                    fail("not every push had its effects within " + CONVERGENCE.toSeconds() + " s; pushes missing each effect: " + missing);
                }
                Thread.sleep(1000);
            }
        }
    }

    private static JsonNode json(byte[] value) {
        try {
            return new ObjectMapper().readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
