package io.bitbridge.gitops.bench;

import io.bitbridge.bitbucket.cloud.CloudSourceFiles;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.BitbucketEndpoints;
import io.bitbridge.gitops.support.GitOpsFakes;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commits per minute to one branch, with 1 and with 8 concurrent writers, through gitops-writer's commit API
 * against the Bitbucket Cloud fake ({@code POST /src}) and the Server fake (JGit push), beside the Cloud fake's own
 * floor: the same number of writers committing straight to {@code POST /src} without a parent (nothing computed,
 * no conflicts). Not part of {@code ./mvnw verify} (surefire runs {@code *Test} classes): {@code bench/gitops-writer/run.sh}
 * runs it. Every writer's commit must land (no lost update) within the retry bound; the figures go to stdout and to
 * {@code target/bench-gitops-writer.txt}. Knobs: {@code -Dbench.seconds} (per measurement, default 20),
 * {@code -Dbench.warmup-seconds} (before each, default 10).
 */
@QuarkusTest
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = GitOpsFakes.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class GitOpsWriterBenchmark {
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int WARMUP = Integer.getInteger("bench.warmup-seconds", 10);

    /** One measurement: commits landed, retries, failures, latencies (ms) of the landed ones, elapsed seconds. */
    private record Run(String name, int writers, int commits, int retries, int maxRetries, int failures, List<Long> latencies,
                       double seconds) {
        double perMinute() {
            return commits * 60.0 / seconds;
        }

        long percentile(double p) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }

        String line() {
            return String.format("%-34s writers=%d commits=%d commits/min=%.0f retries=%d max-retries-per-commit=%d failures=%d p50=%dms p99=%dms",
                    name, writers, commits, perMinute(), retries, maxRetries, failures, percentile(0.5), percentile(0.99));
        }
    }

    /** One writer's single step: commit once, answer how many retries it took; a failure throws. */
    private interface Step {
        int commit(int writer, int n) throws Exception;
    }

    @Test
    void commitsPerMinuteToOneBranch() throws Exception {
        String cloudTarget = target("bench", "cloud", GitOpsFakes.CREDENTIAL_ID, "acme/infra");
        String serverTarget = target("bench", "server", GitOpsFakes.SERVER_CREDENTIAL_ID, "OPS/platform");
        CloudSourceFiles direct = direct();
        Step floor = (writer, n) -> {
            direct.commit("acme", "infra", new CloudSourceFiles.CommitSpec("main", null, "floor " + writer + "-" + n, null,
                    Map.of("floor/w" + writer + "-" + n + ".yaml", ("n: " + n + "\n").getBytes(StandardCharsets.UTF_8)), List.of()));
            return 0;
        };
        List<Run> runs = new ArrayList<>();
        for (int writers : new int[]{1, 8}) {
            runs.add(measure("cloud fake floor (POST /src)", writers, floor));
            runs.add(measure("gitops-writer -> Cloud fake", writers, viaApi(cloudTarget, "cloud-" + writers)));
            runs.add(measure("gitops-writer -> Server fake (JGit)", writers, viaApi(serverTarget, "server-" + writers)));
        }
        StringBuilder report = new StringBuilder();
        report.append(String.format("measurement %d s after %d s warm-up each; cores=%d%n", SECONDS, WARMUP, Runtime.getRuntime().availableProcessors()));
        runs.forEach(run -> report.append(run.line()).append('\n'));
        for (int i = 0; i < runs.size(); i += 3) {
            report.append(String.format("writers=%d: gitops-writer/floor Cloud=%.2f Server/floor=%.2f%n", runs.get(i).writers(),
                    runs.get(i + 1).perMinute() / runs.get(i).perMinute(), runs.get(i + 2).perMinute() / runs.get(i).perMinute()));
        }
        System.out.println("[bench] gitops-writer\n" + report);
        Files.writeString(Path.of("target/bench-gitops-writer.txt"), report.toString());
        for (Run run : runs) {
            assertEquals(0, run.failures(), run.line());
            assertTrue(run.maxRetries() <= 5, run.line());
        }
    }

    private Step viaApi(String targetId, String prefix) {
        return (writer, n) -> {
            Response response = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                    .body(Map.of("requestId", prefix + "-" + writer + "-" + n + "-" + System.nanoTime(), "message", "bench " + n,
                            "patch", Map.of("put", Map.of("w" + writer + "/n.yaml", "n: " + n + "\n"))))
                    .post("/api/targets/" + targetId + "/commits");
            if (response.statusCode() != 200 || !"COMMITTED".equals(response.path("status"))) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " " + response.asString());
            }
            return response.path("retries");
        };
    }

    private static Run measure(String name, int writers, Step step) throws Exception {
        run(name + " (warm-up)", writers, step, WARMUP, new AtomicInteger(1_000_000));
        return run(name, writers, step, SECONDS, new AtomicInteger());
    }

    private static Run run(String name, int writers, Step step, int seconds, AtomicInteger sequence) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger commits = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger maxRetries = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long begin = System.nanoTime();
                    try {
                        int took = step.commit(writer, sequence.incrementAndGet());
                        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
                        commits.incrementAndGet();
                        retries.addAndGet(took);
                        maxRetries.accumulateAndGet(took, Math::max);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        System.out.println("[bench] " + name + " failure: " + e.getMessage());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(seconds + 300L, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        return new Run(name, writers, commits.get(), retries.get(), maxRetries.get(), failures.get(), latencies, elapsed);
    }

    private static String target(String cluster, String clusterId, String credentialId, String repository) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("clusterName", cluster, "clusterId", clusterId, "credentialId", credentialId, "repository", repository,
                        "branch", "main"))
                .post("/api/targets").then().statusCode(201).extract().path("id");
    }

    private static CloudSourceFiles direct() {
        Authorization auth = GitOpsFakes.sandboxAuthorization();
        return new CloudSourceFiles(io.quarkus.arc.Arc.container().instance(BitbucketEndpoints.class).get().of(auth));
    }
}
