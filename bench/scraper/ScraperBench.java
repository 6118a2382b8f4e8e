import com.sun.net.httpserver.HttpServer;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Commit;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.testkit.LibraryLogging;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The scraper-service benchmark's driver (run by bench/scraper/run.sh, which starts Kafka and scraper-service). In this
 * JVM: the Bitbucket Cloud and Server fakes seeded with history, a credential-service stub answering authorizations,
 * and the Kafka clients that publish pushes and read expanded pushes. Phases:
 * <ol>
 *   <li>floor: produce → consume latency of the broker alone, push-sized records at RATE/s (same producer settings)</li>
 *   <li>pass-through: complete Cloud pushes at RATE/s on bitbucket.push.v1, p50/p99 until each is read from
 *       bitbucket.push.expanded.v1 (after a warm-up at the same rate)</li>
 *   <li>server: SERVER_PUSHES Server pushes of 20 commits each, all published at once, against the Server fake with
 *       20 ms added to every call: pushes/s from the first publish to the last expanded push, Bitbucket calls per push</li>
 * </ol>
 * Arguments: kafka bootstrap, stub port, scraper ready URL, file holding scraper-service's pid (for its CPU time). Settings from the environment: RATE (200), SECONDS (30),
 * WARMUP_SECONDS (15), SERVER_PUSHES (1000), SERVER_REPOSITORIES (10), SERVER_LATENCY_MS (20).
 */
public class ScraperBench {
    static final int RATE = env("RATE", 200);
    static final int SECONDS = env("SECONDS", 30);
    static final int WARMUP_SECONDS = env("WARMUP_SECONDS", 15);
    static final int SERVER_PUSHES = env("SERVER_PUSHES", 1000);
    static final int SERVER_REPOSITORIES = env("SERVER_REPOSITORIES", 10);
    static final int SERVER_LATENCY_MS = env("SERVER_LATENCY_MS", 20);
    static final int COMMITS_PER_PUSH = 20;
    static final int CLOUD_RANGES = 100;
    static final PersonIdent AUTHOR = new PersonIdent("Bench", "bench@example.com");

    static String bootstrap;
    static String serverHost;
    static double lastRate;
    static java.nio.file.Path pidFile;

    /** CPU seconds scraper-service's process has used so far (utime + stime from /proc), -1 when unreadable. */
    static double serviceCpuSeconds() {
        try {
            String pid = java.nio.file.Files.readString(pidFile).trim();
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14 and stime 15 (1-based, man proc)
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (Exception e) {
            return -1;
        }
    }
    static final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    public static void main(String[] args) {
        LibraryLogging.infoAndAbove();
        int status = 0;
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        // the fakes' and the stub's threads would keep a failed run alive
        System.exit(status);
    }

    static void run(String[] args) throws Exception {
        bootstrap = args[0];
        int stubPort = Integer.parseInt(args[1]);
        String readyUrl = args[2];
        pidFile = java.nio.file.Path.of(args[3]);

        log("seeding the fakes");
        BitbucketCloudFake cloud = BitbucketCloudFake.sandbox();
        BitbucketServerFake server = BitbucketServerFake.sandbox(0);
        List<String[]> cloudRepos = List.of(new String[]{"acme", "game"}, new String[]{"acme", "infra"}, new String[]{"tools", "scripts"});
        List<List<String>> cloudHistories = new ArrayList<>();
        for (String[] repo : cloudRepos) {
            cloudHistories.add(appendCommits(cloud.git(repo[0], repo[1]), "main", CLOUD_RANGES * 3));
        }
        serverHost = RepositoryRef.hostOf(server.baseUrl());
        var ops = server.model().project("OPS").orElseThrow();
        int perRepository = (SERVER_PUSHES + 100) / SERVER_REPOSITORIES + 1;
        List<List<String>> serverHistories = new ArrayList<>();
        for (int r = 0; r < SERVER_REPOSITORIES; r++) {
            var repository = server.model().createRepository(ops, "bench-" + r, "bench-" + r, false, "main");
            serverHistories.add(appendCommits(repository.git(), "main", perRepository * COMMITS_PER_PUSH));
        }
        HttpServer stub = credentialStub(stubPort, Map.of(
                "bench-cloud", new Authorization("Basic " + Base64.getEncoder().encodeToString((BitbucketCloudFake.SANDBOX_EMAIL + ":"
                        + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes(StandardCharsets.UTF_8)), null, cloud.apiUrl(), null, null, null,
                        false, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD),
                "bench-server", new Authorization("Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null, server.baseUrl(), null, null, null,
                        false, CredentialKind.BITBUCKET_SERVER_TOKEN, Provider.BITBUCKET_SERVER)));
        log("fakes ready (Cloud " + cloud.apiUrl() + ", Server " + server.baseUrl() + "), stub on " + stubPort);
        awaitReady(readyUrl);

        try (KafkaProducer<byte[], byte[]> producer = producer();
             KafkaConsumer<byte[], byte[]> expanded = consumerAtEnd("bitbucket.push.expanded.v1");
             KafkaConsumer<byte[], byte[]> floorConsumer = consumerAtEnd("bench.floor")) {
            // smoke: one push of each kind makes its way through (the scraper's consumer has its partitions)
            PushEvent smoke = cloudPush(cloudRepos.get(0), cloudHistories.get(0), 0);
            send(producer, smoke, System.nanoTime());
            PushEvent smokeServer = serverPush(0, serverHistories.get(0), perRepository - 1);
            send(producer, smokeServer, System.nanoTime());
            List<Long> ignored = new ArrayList<>();
            drain(expanded, 2, Duration.ofSeconds(120), ignored, null);
            log("smoke pushes expanded");

            // 1. the broker's floor
            byte[] pushSized = EventJson.toBytes(cloudPush(cloudRepos.get(0), cloudHistories.get(0), 1));
            List<Long> floor = floor(producer, floorConsumer, pushSized);
            // 2. pass-through of complete Cloud pushes
            log("pass-through warm-up: " + WARMUP_SECONDS + " s at " + RATE + "/s");
            paced(producer, expanded, cloudRepos, cloudHistories, WARMUP_SECONDS);
            cloud.server().requests().clear();
            log("pass-through: " + SECONDS + " s at " + RATE + "/s");
            double cpuBefore = serviceCpuSeconds();
            List<Long> passThrough = paced(producer, expanded, cloudRepos, cloudHistories, SECONDS);
            double passThroughCpu = serviceCpuSeconds() - cpuBefore;
            int cloudCalls = cloud.server().requests().all().size();
            int pushes = RATE * SECONDS;
            report("floor", floor);
            report("pass_through", passThrough);
            System.out.printf("pass_through_rate sent_per_s=%d expanded_per_s=%.1f (first send to last expanded push read)%n", RATE, lastRate);
            System.out.printf("pass_through_service_cpu_ms_per_push=%.2f%n", passThroughCpu * 1000 / pushes);
            System.out.printf("pass_through_calls_per_push=%.2f (Cloud diffstat for the paths; no commit listing)%n", cloudCalls / (double) pushes);
            System.out.printf("pass_through_over_floor p50=%.1f p99=%.1f%n", percentile(passThrough, 50) / (double) percentile(floor, 50),
                    percentile(passThrough, 99) / (double) percentile(floor, 99));

            // 3. Server expansion with 20 ms per call
            log("server warm-up: 100 pushes, no added latency");
            serverBatch(producer, expanded, serverHistories, 0, 100, perRepository);
            server.http().requests().clear();
            server.http().faults().arm(Fault.latency(Duration.ofMillis(SERVER_LATENCY_MS), Integer.MAX_VALUE));
            log("server: " + SERVER_PUSHES + " pushes of " + COMMITS_PER_PUSH + " commits, " + SERVER_LATENCY_MS + " ms per call");
            cpuBefore = serviceCpuSeconds();
            double seconds = serverBatch(producer, expanded, serverHistories, 100, SERVER_PUSHES, perRepository);
            System.out.printf("server_expansion_service_cpu_ms_per_push=%.2f%n", (serviceCpuSeconds() - cpuBefore) * 1000 / SERVER_PUSHES);
            int serverCalls = server.http().requests().all().size();
            System.out.printf("server_expansion pushes=%d seconds=%.2f pushes_per_s=%.1f calls_per_push=%.2f latency_per_call_ms=%d%n",
                    SERVER_PUSHES, seconds, SERVER_PUSHES / seconds, serverCalls / (double) SERVER_PUSHES, SERVER_LATENCY_MS);
        } finally {
            stub.stop(0);
            server.close();
            cloud.close();
        }
    }

    /** RATE/s for {@code seconds}: complete Cloud pushes round-robin over the repositories; latencies in µs. */
    static List<Long> paced(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> expanded, List<String[]> repos,
                            List<List<String>> histories, int seconds) throws Exception {
        int total = RATE * seconds;
        long interval = 1_000_000_000L / RATE;
        long start = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        int received = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                received += poll(expanded, Duration.ZERO, latencies, null);
                LockSupport.parkNanos(Math.min(200_000, due - System.nanoTime()));
            }
            int repo = i % repos.size();
            send(producer, cloudPush(repos.get(repo), histories.get(repo), (i / repos.size()) % CLOUD_RANGES), System.nanoTime());
        }
        drain(expanded, total - received, Duration.ofSeconds(120), latencies, null);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.err.printf("[bench] %d of %d pushes expanded in %.1f s (%.1f /s; sent over %d s)%n", latencies.size(), total, elapsed,
                latencies.size() / elapsed, seconds);
        lastRate = latencies.size() / elapsed;
        return latencies;
    }

    /** {@code count} Server pushes published at once; seconds from the first publish to the last expanded one read. */
    static double serverBatch(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> expanded,
                              List<List<String>> histories, int first, int count, int perRepository) throws Exception {
        long start = System.nanoTime();
        for (int i = first; i < first + count; i++) {
            int repo = i % histories.size();
            send(producer, serverPush(repo, histories.get(repo), i / histories.size()), start);
        }
        producer.flush();
        int[] incomplete = {0};
        drain(expanded, count, Duration.ofSeconds(600), new ArrayList<>(), incomplete);
        if (incomplete[0] > 0) {
            throw new IllegalStateException(incomplete[0] + " Server pushes came out incomplete");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    static List<Long> floor(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, byte[] value) {
        log("floor: " + SECONDS + " s at " + RATE + "/s, " + value.length + " byte records, produce → consume");
        int total = RATE * SECONDS;
        long interval = 1_000_000_000L / RATE;
        List<Long> latencies = new ArrayList<>();
        long start = System.nanoTime();
        int received = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                received += pollFloor(consumer, Duration.ZERO, latencies);
                LockSupport.parkNanos(Math.min(200_000, due - System.nanoTime()));
            }
            byte[] key = ("floor-" + (i % 3)).getBytes(StandardCharsets.UTF_8);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("bench.floor", key, value);
            record.headers().add("sent", Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received < total && System.nanoTime() < deadline) {
            received += pollFloor(consumer, Duration.ofMillis(100), latencies);
        }
        return latencies;
    }

    static int pollFloor(KafkaConsumer<byte[], byte[]> consumer, Duration wait, List<Long> latencies) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            long now = System.nanoTime();
            long sent = Long.parseLong(new String(record.headers().lastHeader("sent").value(), StandardCharsets.UTF_8));
            latencies.add((now - sent) / 1000);
            n++;
        }
        return n;
    }

    static void drain(KafkaConsumer<byte[], byte[]> consumer, int count, Duration limit, List<Long> latencies, int[] incomplete) {
        long deadline = System.nanoTime() + limit.toNanos();
        int received = 0;
        while (received < count) {
            if (System.nanoTime() > deadline) {
                // reported, not hidden: the percentiles then cover only what arrived
                System.out.println("WARNING only " + received + " of " + count + " expanded pushes arrived within " + limit);
                return;
            }
            received += poll(consumer, Duration.ofMillis(100), latencies, incomplete);
        }
    }

    static int poll(KafkaConsumer<byte[], byte[]> consumer, Duration wait, List<Long> latencies, int[] incomplete) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            long now = System.nanoTime();
            String id = CloudEventHeaders.read(record.headers()).orElseThrow().id();
            Long sent = sentAt.remove(id);
            if (sent == null) {
                continue;
            }
            latencies.add((now - sent) / 1000);
            if (incomplete != null) {
                PushEvent push = EventJson.fromBytes(record.value(), PushEvent.class);
                if (!push.changes().get(0).commitsComplete() || push.changes().get(0).commits().size() != COMMITS_PER_PUSH) {
                    incomplete[0]++;
                }
            }
            n++;
        }
        return n;
    }

    static void send(KafkaProducer<byte[], byte[]> producer, PushEvent push, long at) {
        sentAt.put(push.deliveryId(), at);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("bitbucket.push.v1", null,
                push.repository().key().getBytes(StandardCharsets.UTF_8), EventJson.toBytes(push),
                CloudEventHeaders.of(push.deliveryId(), EventType.PUSH, "/bench", push.receivedAt()).toKafkaHeaders());
        producer.send(record);
    }

    /** A complete Cloud push of three commits (range {@code range} of the repository's appended history). */
    static PushEvent cloudPush(String[] repo, List<String> history, int range) {
        String old = history.get(range * 3);
        List<Commit> commits = new ArrayList<>();
        for (int c = range * 3 + 3; c > range * 3; c--) {
            commits.add(new Commit(history.get(c), "bench commit " + c, Person.unknown(), Instant.now(), List.of(history.get(c - 1)), List.of()));
        }
        RepositoryRef ref = RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", repo[0], repo[1], repo[1], null, List.of());
        return push(Provider.BITBUCKET_CLOUD, "bench-cloud", "repo:push", ref,
                new RefChange(RefType.BRANCH, "main", old, history.get(range * 3 + 3), false, false, false, commits, false, false));
    }

    /** A Server push of 20 commits, as older servers send it (no commits listed). */
    static PushEvent serverPush(int repo, List<String> history, int range) {
        RepositoryRef ref = RepositoryRef.of(Provider.BITBUCKET_SERVER, serverHost, "OPS", "bench-" + repo, "bench-" + repo, null, List.of());
        return push(Provider.BITBUCKET_SERVER, "bench-server", "repo:refs_changed", ref, new RefChange(RefType.BRANCH, "main",
                history.get(range * COMMITS_PER_PUSH), history.get((range + 1) * COMMITS_PER_PUSH), false, false, false, List.of(), false, false));
    }

    static PushEvent push(Provider provider, String credential, String eventKey, RepositoryRef ref, RefChange change) {
        return new PushEvent(UUID.randomUUID().toString(), 1, provider, credential, eventKey, ref, Person.unknown(), List.of(change),
                Instant.now());
    }

    /**
     * Appends {@code count} commits to {@code branch} (one more to an empty repository), each rewriting one of 20 files
     * in turn, so 20 commits in a row change 20 paths; returns the branch's history, oldest first.
     */
    static List<String> appendCommits(Repository git, String branch, int count) throws Exception {
        List<String> history = new ArrayList<>();
        ObjectId head = git.resolve("refs/heads/" + branch);
        if (head != null) {
            history.add(head.name());
        }
        TreeMap<String, ObjectId> files = new TreeMap<>();
        try (ObjectInserter inserter = git.newObjectInserter()) {
            for (int i = head == null ? -1 : 0; i < count; i++) {
                String name = String.format("bench/file-%02d.txt", Math.floorMod(i, COMMITS_PER_PUSH));
                files.put(name, inserter.insert(Constants.OBJ_BLOB, ("change " + i + "\n").getBytes(StandardCharsets.UTF_8)));
                TreeFormatter directory = new TreeFormatter();
                files.forEach((path, blob) -> directory.append(path.substring("bench/".length()), FileMode.REGULAR_FILE, blob));
                TreeFormatter root = new TreeFormatter();
                root.append("bench", FileMode.TREE, inserter.insert(directory));
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(inserter.insert(root));
                if (head != null) {
                    commit.setParentIds(head);
                }
                commit.setAuthor(AUTHOR);
                commit.setCommitter(AUTHOR);
                commit.setMessage("bench " + i + "\n");
                head = inserter.insert(commit);
                history.add(head.name());
            }
            inserter.flush();
        }
        RefUpdate update = git.updateRef("refs/heads/" + branch);
        update.setNewObjectId(head);
        update.setForceUpdate(true);
        update.update();
        return history;
    }

    static HttpServer credentialStub(int port, Map<String, Authorization> authorizations) throws Exception {
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        stub.createContext("/internal/credentials/", exchange -> {
            try (exchange) {
                String[] parts = exchange.getRequestURI().getPath().split("/");
                Authorization authorization = authorizations.get(parts[3]);
                byte[] body = authorization == null ? "{}".getBytes(StandardCharsets.UTF_8)
                        : EventJson.mapper().writeValueAsBytes(authorization);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(authorization == null ? 404 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // scraper-service's client-credentials token request: a token the stub does not check.
        byte[] token = "{\"access_token\":\"bench\",\"token_type\":\"Bearer\",\"expires_in\":3600}".getBytes(StandardCharsets.UTF_8);
        stub.createContext("/token", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, token.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(token);
                }
            }
        });
        stub.start();
        return stub;
    }

    static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", ProducerConfig.LINGER_MS_CONFIG, "1",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumerAtEnd(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            // asking creates the topic (the broker auto-creates topics)
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    static void awaitReady(String url) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("scraper-service did not become ready at " + url);
    }

    static void report(String label, List<Long> micros) {
        System.out.printf("%s samples=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", label, micros.size(),
                percentile(micros, 50) / 1000.0, percentile(micros, 90) / 1000.0, percentile(micros, 99) / 1000.0,
                percentile(micros, 100) / 1000.0);
    }

    static long percentile(List<Long> values, double p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }

    static void log(String message) {
        System.err.println("[bench] " + message);
    }
}
