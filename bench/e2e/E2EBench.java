import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.deploy.Sandbox;
import io.bitbridge.deploy.SandboxFlow;
import io.bitbridge.deploy.Stack;
import io.bitbridge.deploy.StackOptions;
import io.bitbridge.deploy.StackPaths;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.jenkins.JenkinsTrigger;
import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.infra.process.SharedState;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end latency of the whole stack (bench/e2e/run.sh starts it): the six packaged services started by the
 * launcher's Stack against a fresh Kafka broker and the machine's PostgreSQL, a Bitbucket Cloud fake and a Jenkins
 * fake in this JVM. Open loop: commits {@code BENCH-n: ... #jenkins:GameBuild} are made through the fake's /src API at a
 * fixed rate, spread over LANES repositories (each with Bitbridge's webhook: the fake delivers each hook's pushes in
 * order, hooks in parallel). The latency of a push is from the gateway's 202 (the webhook accepted: on Kafka) to the
 * Jenkins fake recording the build request for its commit.
 */
public final class E2EBench {
    private static final int LANES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]).toAbsolutePath();
        Path root = Path.of(args[1]).toAbsolutePath();
        int[] rates = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int duration = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        long self = ProcessHandle.current().pid();

        KafkaBroker kafka = KafkaBroker.start(work.resolve("kafka"), 0, self, true);
        PostgresServer postgres = PostgresServer.locate(new SharedState(work.resolve("state")), self);
        postgres.dropDatabase("bench_e2e");
        BitbucketCloudFake.Builder seed = BitbucketCloudFake.sandboxBuilder();
        for (int lane = 0; lane < LANES; lane++) {
            seed.repository("acme", "bench-" + lane, "main", Map.of("README.md", "# bench\n"));
        }
        BitbucketCloudFake cloud = seed.start();
        JenkinsFake jenkins = JenkinsFake.sandbox(0);
        Map<String, Integer> ports = StackOptions.ports(spec -> FreePort.find());
        String gateway = "http://127.0.0.1:" + ports.get("webhook-gateway");
        StackOptions options = new StackOptions(Sandbox.settings(cloud.baseUri().toString(), jenkins.baseUrl(), gateway), false,
                Optional.of(kafka.bootstrapServers()), Optional.of(postgres), "bench_e2e", ports,
                // scraper-service paces its Bitbucket calls to 600 an hour per credential (Bitbucket's own limits); the
                // fake has none, and the benchmark measures the pipeline, not that budget.
                Map.of("kafka.auto.offset.reset", "earliest", "bitbridge.scraper.budget.requests-per-hour", "3600000",
                        "bitbridge.scraper.budget.burst", "1000"));
        Stack stack = new Stack(new StackPaths(root, work.resolve("stack")), System.err, options);
        try {
            stack.preflight();
            stack.start();
            SandboxFlow flow = new SandboxFlow(SandboxFlow.Endpoints.of(stack::url, cloud.baseUri().toString(), jenkins.baseUrl()),
                    stack.token(Roles.ADMIN), Duration.ofSeconds(120));
            String credential = flow.cloudCredential("bench");
            for (int lane = 0; lane < LANES; lane++) {
                flow.registerWebhook(credential, "acme/bench-" + lane);
            }
            AtomicInteger sequence = new AtomicInteger();
            if (warmup > 0) {
                phase(flow, cloud, jenkins, sequence, rates[0], warmup, "warm-up", System.err);
            }
            for (int rate : rates) {
                phase(flow, cloud, jenkins, sequence, rate, duration, "rate " + rate + "/s", System.out);
            }
        } finally {
            stack.stop();
            jenkins.close();
            cloud.close();
            kafka.stop();
            postgres.dropDatabase("bench_e2e");
            postgres.stopEmbedded();
        }
    }

    private static void phase(SandboxFlow flow, BitbucketCloudFake cloud, JenkinsFake jenkins, AtomicInteger sequence,
                              int rate, int seconds, String name, PrintStream out) throws Exception {
        String load = Files.readString(Path.of("/proc/loadavg")).substring(0, 14);
        Set<String> commits = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pushers = Executors.newFixedThreadPool(16);
        long interval = 1_000_000_000L / rate;
        int total = rate * seconds;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            LockSupport.parkNanos(start + i * interval - System.nanoTime());
            int n = sequence.incrementAndGet();
            pushers.execute(() -> {
                try {
                    commits.add(flow.commit("acme/bench-" + (n % LANES), "main", "BENCH-" + n + ": push " + n + " #jenkins:GameBuild",
                            "pushes/" + n + ".txt", n + "\n"));
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
            });
        }
        pushers.shutdown();
        pushers.awaitTermination(5, TimeUnit.MINUTES);
        double sent = (System.nanoTime() - start) / 1e9;

        Map<String, Instant> accepted = new HashMap<>();
        Map<String, Instant> triggered = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int read = 0;
        while (System.nanoTime() < deadline) {
            List<DeliveryAttempt> attempts = cloud.deliveries();
            for (DeliveryAttempt attempt : attempts.subList(read, attempts.size())) {
                if (attempt.status() == 202) {
                    String head = JSON.readTree(attempt.bodyText()).path("push").path("changes").path(0).path("new").path("target").path("hash").asText();
                    if (commits.contains(head)) {
                        accepted.putIfAbsent(head, attempt.answeredAt());
                    }
                }
            }
            read = attempts.size();
            for (JenkinsTrigger trigger : jenkins.triggers()) {
                String commit = trigger.parameters().get("COMMIT");
                if (commit != null && commits.contains(commit)) {
                    triggered.putIfAbsent(commit, trigger.at());
                }
            }
            // A push reaches Jenkins only through an accepted webhook, but the fake may record the 202 after the trigger
            // arrived: wait for both.
            if (triggered.size() >= commits.size() && accepted.size() >= triggered.size()) {
                break;
            }
            Thread.sleep(500);
        }
        List<Long> latencies = new ArrayList<>();
        triggered.forEach((commit, at) -> Optional.ofNullable(accepted.get(commit))
                .ifPresent(from -> latencies.add(Duration.between(from, at).toMillis())));
        latencies.sort(Long::compare);
        out.printf("RESULT %-12s commits %d/%d (failed %d) in %.1f s (%.1f/s)  accepted %d  triggered %d  p50 %s ms  p99 %s ms  max %s ms  load before %s%n",
                name, commits.size(), total, failed.get(), sent, commits.size() / sent, accepted.size(), triggered.size(),
                percentile(latencies, 50), percentile(latencies, 99), latencies.isEmpty() ? "-" : latencies.get(latencies.size() - 1), load);
        out.flush();
    }

    private static String percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return String.valueOf(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }
}
