import io.bitbridge.common.auth.ClientCredentialsEndpoint;
import io.bitbridge.common.auth.ServiceScopes;
import io.bitbridge.common.auth.TokenMinter;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Commit;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.jenkins.JenkinsModel.Permission;
import io.bitbridge.fakes.jenkins.JenkinsTrigger;
import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.infra.process.SharedState;
import io.bitbridge.testkit.LibraryLogging;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * build-trigger's latency benchmark (bench/build-trigger/run.sh starts it): a fresh Kafka broker, the machine's
 * PostgreSQL, an in-process Jenkins fake and the packaged service in its own JVM. Open loop: pushes are produced on
 * bitbucket.push.expanded.v1 at a fixed rate, each with its own head commit and a {@code #jenkins} tag; the latency of a
 * push is from just before it is handed to the producer to the moment the Jenkins fake records the trigger request.
 * The broker floor is the same producer sending records of the same size and keys at the same rate to a topic of its
 * own, read by a plain consumer in this JVM: produce to consume. Phases run one after another, never together.
 *
 * <p>Arguments: workDir serviceJar rates(comma-separated) measureSeconds warmupSeconds.
 */
public final class TriggerBench {
    private static final String JOB = "GameBuild";
    private static final int REPOSITORIES = 64;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        LibraryLogging.infoAndAbove();
        Path work = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        int[] rates = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        long self = ProcessHandle.current().pid();

        KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), 0, self, true);
        JenkinsFake jenkins = null;
        FakeHttpServer credentials = null;
        ClientCredentialsEndpoint tokenEndpoint = null;
        Process service = null;
        try {
            PostgresServer postgres = PostgresServer.locate(new SharedState(work.resolve("state")), self);
            postgres.ensureDatabase("bitbridge_bench");
            try (Connection connection = postgres.connect("bitbridge_bench"); Statement statement = connection.createStatement()) {
                statement.execute("drop schema if exists build_trigger_bench cascade");
                statement.execute("create schema build_trigger_bench");
            }
            KeyPair keys = TokenMinter.generateKeyPair();
            // The service's issuer, as the launcher runs it: the client-credentials grant, signing with a key only this JVM holds.
            tokenEndpoint = ClientCredentialsEndpoint.start(new TokenMinter(keys.getPrivate(), "https://bitbridge.local",
                    TokenMinter.DEFAULT_AUDIENCE), Duration.ofMinutes(10), 0);
            String clientSecret = tokenEndpoint.register("build-trigger", ServiceScopes.of("build-trigger"));
            Path publicKey = Files.writeString(work.resolve("jwt-public.pem"), TokenMinter.publicKeyPem(keys.getPublic()));

            jenkins = JenkinsFake.start();
            jenkins.model().addUser("bitbridge", null, "bench-jenkins-token", EnumSet.allOf(Permission.class));
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String name : List.of("BITBUCKET_REPOSITORY", "BRANCH", "COMMIT", "TRIGGERED_BY", "TASK_KEYS")) {
                parameters.put(name, "");
            }
            jenkins.model().addJob(JOB, parameters);

            int port = FreePort.find();
            // The container image's JVM: full tiered JIT, and the serial collector the JVM picks under the pods' 768 MiB
            // limit. SERVICE_JVM_OPTS adds or overrides (-XX:TieredStopAtLevel=1: the local launcher's C1-only JIT).
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"));
            String extra = System.getenv().getOrDefault("SERVICE_JVM_OPTS", "");
            if (!extra.isBlank()) {
                command.addAll(List.of(extra.trim().split("\\s+")));
            }
            Map<String, String> config = new LinkedHashMap<>();
            config.put("bitbridge.owner-pid", Long.toString(self));
            config.put("quarkus.http.port", Integer.toString(port));
            config.put("quarkus.log.level", "WARN");
            // A credential-service that knows no credential: commit statuses are skipped at once (not what is measured).
            credentials = FakeHttpServer.builder("credential-service-stand-in", request -> FakeResponse.text(404, "unknown credential")).start();
            config.put("quarkus.log.category.\"io.bitbridge.buildtrigger.client.CommitStatuses\".level", "ERROR");
            config.put("quarkus.rest-client.credential-service.url", credentials.baseUri().toString());
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            config.put("bitbridge.db.location", "//" + postgres.host() + ":" + postgres.port() + "/bitbridge_bench");
            config.put("bitbridge.db.user", postgres.user());
            config.put("bitbridge.db.schema", "build_trigger_bench");
            config.put("bitbridge.auth.oidc-client.auth-server-url", tokenEndpoint.baseUrl().toString());
            config.put("bitbridge.auth.public-key-location", publicKey.toString());
            config.put("bitbridge.build-trigger.instances.ci.url", jenkins.baseUrl());
            config.put("bitbridge.build-trigger.instances.ci.user", "bitbridge");
            config.put("bitbridge.build-trigger.instances.ci.api-token", "bench-jenkins-token");
            config.put("bitbridge.build-trigger.rules[0].repository", "**");
            config.put("bitbridge.build-trigger.rules[0].instance", "ci");
            config.put("bitbridge.build-trigger.rules[0].default-job", JOB);
            config.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command);
            // Secrets by environment, as the launcher passes them.
            builder.environment().put("BITBRIDGE_DB_PASSWORD", postgres.password());
            builder.environment().put("BITBRIDGE_AUTH_OIDC_CLIENT_SECRET", clientSecret);
            service = builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(work.resolve("build-trigger.log").toFile())).start();
            awaitReady(service, URI.create("http://127.0.0.1:" + port + "/q/health/ready"));
            System.out.println("service pid " + service.pid() + ", broker " + broker.bootstrapServers() + ", jenkins " + jenkins.baseUrl());

            try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
                if (warmup > 0) {
                    Result warm = service(producer, jenkins, service.toHandle(), rates[0], warmup);
                    System.out.println("warmup " + warm.line());
                }
                for (int rate : rates) {
                    Result floor = floor(producer, broker.bootstrapServers(), rate, seconds);
                    System.out.println("RESULT broker-floor rate=" + rate + " " + floor.line());
                    Result measured = service(producer, jenkins, service.toHandle(), rate, seconds);
                    System.out.println("RESULT build-trigger rate=" + rate + " " + measured.line());
                    System.out.println("SPLIT build-trigger rate=" + rate + " " + measured.split(postgres));
                    System.out.printf(Locale.ROOT, "RESULT ratio rate=%d p50=%.1f p99=%.1f%n", rate,
                            measured.p(50) / floor.p(50), measured.p(99) / floor.p(99));
                }
            }
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(30, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            if (jenkins != null) {
                jenkins.close();
            }
            if (credentials != null) {
                credentials.close();
            }
            if (tokenEndpoint != null) {
                tokenEndpoint.close();
            }
            broker.stop();
        }
    }

    /** Pushes at {@code rate} for {@code seconds}; latency to the Jenkins fake's record of each trigger. */
    private static Result service(KafkaProducer<String, byte[]> producer, JenkinsFake jenkins, ProcessHandle serviceProcess, int rate,
                                  int seconds) throws Exception {
        String topic = EventType.PUSH_EXPANDED.topic();
        Map<String, Instant> sent = new ConcurrentHashMap<>();
        int count = rate * seconds;
        String run = Long.toHexString(System.nanoTime());
        double load = load();
        Duration cpuBefore = cpu(serviceProcess);
        pace(rate, count, i -> {
            String head = hash(run, i);
            RepositoryRef repository = RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", "bench", "repo-" + (i % REPOSITORIES),
                    "repo-" + (i % REPOSITORIES), null, List.of());
            Commit commit = new Commit(head, "GAME-" + (i + 1) + " benchmark push #jenkins", Person.unknown(), Instant.now(),
                    List.of("0".repeat(40)), List.of());
            RefChange change = new RefChange(RefType.BRANCH, "main", "0".repeat(40), head, false, false, false, List.of(commit), false, true);
            PushEvent push = new PushEvent("bench-" + head, 1, Provider.BITBUCKET_CLOUD, "bench-credential", "repo:push", repository,
                    Person.unknown(), List.of(change), Instant.now());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, repository.key(), EventJson.toBytes(push),
                    CloudEventHeaders.of(push.deliveryId(), EventType.PUSH_EXPANDED, "/bench", push.receivedAt()).toKafkaHeaders());
            sent.put(head, Instant.now());
            producer.send(record);
        });
        // The service's CPU while pushes arrive at the rate: the whole work per push once it keeps up (following builds too).
        double cpuPerPush = (cpu(serviceProcess).toNanos() - cpuBefore.toNanos()) / 1e6 / count;
        // Until every trigger arrived (a backlog drains before the next phase), at most 60 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Double> latencies = new ArrayList<>();
        Map<String, Instant[]> timings = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            latencies.clear();
            timings.clear();
            for (JenkinsTrigger trigger : jenkins.triggers()) {
                String commit = trigger.parameters().getOrDefault("COMMIT", "");
                Instant at = sent.get(commit);
                if (at != null && trigger.status() == 201) {
                    latencies.add(Duration.between(at, trigger.at()).toNanos() / 1e6);
                    timings.put(commit, new Instant[] {at, trigger.at()});
                }
            }
            if (latencies.size() >= count) {
                break;
            }
            Thread.sleep(200);
        }
        jenkins.model().clearTriggers();
        return new Result(count, latencies, load, cpuPerPush, timings);
    }

    /** The broker alone: the same producer, records of a push's size, same keys and rate; a plain consumer reads them. */
    private static Result floor(KafkaProducer<String, byte[]> producer, String bootstrap, int rate, int seconds) throws Exception {
        String topic = "bench.floor." + rate;
        int count = rate * seconds;
        int size = EventJson.toBytes(new PushEvent("bench-x", 1, Provider.BITBUCKET_CLOUD, "bench-credential", "repo:push",
                RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", "bench", "repo-0", "repo-0", null, List.of()), Person.unknown(),
                List.of(new RefChange(RefType.BRANCH, "main", "0".repeat(40), "f".repeat(40), false, false, false, List.of(new Commit(
                        "f".repeat(40), "GAME-1 benchmark push #jenkins", Person.unknown(), Instant.now(), List.of("0".repeat(40)),
                        List.of())), false, true)), Instant.now())).length;
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // Create the topic (the broker creates it on first use) and read from its start.
            try (KafkaProducer<String, byte[]> creator = producer(bootstrap)) {
                creator.send(new ProducerRecord<>(topic, "setup", new byte[0])).get(30, TimeUnit.SECONDS);
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            reader = new Thread(() -> {
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long sentAt = java.nio.ByteBuffer.wrap(record.value()).getLong();
                        latencies.add((System.nanoTime() - sentAt) / 1e6);
                    }
                }
            }, "floor-reader");
            reader.start();
            double load = load();
            pace(rate, count, i -> {
                byte[] value = new byte[size];
                java.nio.ByteBuffer.wrap(value).putLong(System.nanoTime());
                producer.send(new ProducerRecord<>(topic, "bitbucket-cloud:bitbucket.org/bench/repo-" + (i % REPOSITORIES), value));
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (latencies.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            stop.set(true);
            reader.join();
            return new Result(count, new ArrayList<>(latencies), load, Double.NaN, Map.of());
        }
    }

    /** Calls {@code send} {@code count} times, the i-th at start + i / rate (open loop: a late send does not delay the next). */
    private static void pace(int rate, int count, java.util.function.IntConsumer send) {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            send.accept(i);
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        // The platform's publisher settings (ProducerSettings): acks=all, idempotent, linger 1 ms, lz4.
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void awaitReady(Process service, URI health) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("build-trigger exited with " + service.exitValue());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("build-trigger was not ready after 120 s");
    }

    private static String hash(String run, int i) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest((run + ":" + i).getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time for " + process.pid()));
    }

    private static double load() throws java.io.IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /** {@code cpuMsPerPush}: the service's CPU time during the phase per push sent, NaN for the broker floor. */
    private record Result(int expected, List<Double> latencies, double loadBefore, double cpuMsPerPush, Map<String, Instant[]> timings) {
        double p(double percentile) {
            return percentile(latencies, percentile);
        }

        static double percentile(List<Double> values, double percentile) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100 * sorted.length) - 1)];
        }

        /**
         * Where the time goes: handed to the producer -> the decision row stored (its created_at, the service's clock at
         * the start of the decision; the same machine's clock) and that -> the Jenkins fake's record of the call. For all
         * pushes, and for the slowest 1 % alone (the tail).
         */
        String split(PostgresServer postgres) throws java.sql.SQLException {
            Map<String, Instant> decided = new java.util.HashMap<>();
            try (Connection connection = postgres.connect("bitbridge_bench");
                 var statement = connection.prepareStatement("select commit_hash, created_at from build_trigger_bench.build_trigger"
                         + " where commit_hash = any(?)")) {
                statement.setArray(1, connection.createArrayOf("text", timings.keySet().toArray()));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        decided.put(rows.getString(1), rows.getObject(2, java.time.OffsetDateTime.class).toInstant());
                    }
                }
            }
            double tail = p(99);
            List<Double> toDecision = new ArrayList<>();
            List<Double> toJenkins = new ArrayList<>();
            List<Double> tailToDecision = new ArrayList<>();
            List<Double> tailToJenkins = new ArrayList<>();
            timings.forEach((commit, times) -> {
                Instant at = decided.get(commit);
                if (at == null) {
                    return;
                }
                double first = Duration.between(times[0], at).toNanos() / 1e6;
                double second = Duration.between(at, times[1]).toNanos() / 1e6;
                toDecision.add(first);
                toJenkins.add(second);
                if (first + second >= tail) {
                    tailToDecision.add(first);
                    tailToJenkins.add(second);
                }
            });
            return String.format(Locale.ROOT, "to_decision p50_ms=%.1f p99_ms=%.1f | decision_to_jenkins p50_ms=%.1f p99_ms=%.1f"
                            + " | slowest %d: to_decision p50_ms=%.1f decision_to_jenkins p50_ms=%.1f",
                    percentile(toDecision, 50), percentile(toDecision, 99), percentile(toJenkins, 50), percentile(toJenkins, 99),
                    tailToDecision.size(), percentile(tailToDecision, 50), percentile(tailToJenkins, 50));
        }

        String line() {
            String line = String.format(Locale.ROOT, "received=%d/%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f load_before=%.2f",
                    latencies.size(), expected, p(50), p(99), p(100), loadBefore);
            return Double.isNaN(cpuMsPerPush) ? line : line + String.format(Locale.ROOT, " service_cpu_ms_per_push=%.2f", cpuMsPerPush);
        }
    }
}
