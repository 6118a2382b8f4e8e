package io.bitbridge.buildtrigger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitbridge.events.BuildTriggerEvent;
import io.bitbridge.events.BuildTriggerEvent.Status;
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
import io.bitbridge.fakes.common.Fault;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.jenkins.JenkinsModel.Permission;
import io.bitbridge.fakes.jenkins.JenkinsTrigger;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestInfra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged service ({@code target/quarkus-app}) in its own JVM, killed with SIGKILL while it waits for Jenkins'
 * answer to the trigger: Jenkins has queued the build, the decision row is still CALLING and the push's offset is not
 * committed. A second process reads the push again and must find the build in Jenkins instead of starting another.
 * Runs in the integration-test phase, after the package the child JVMs start from.
 */
class TriggerCrashIT {
    private static final String JOB = "GameBuild";
    private static final String USER = "bitbridge";
    private static final String TOKEN = "crash-test-api-token-0123456789";
    private static final String REPOSITORY_OWNER = "game";
    private static final String REPOSITORY_SLUG = "engine";

    private final BitbridgeTestResource infra = new BitbridgeTestResource();
    private final List<Process> children = new ArrayList<>();
    private Map<String, String> infraConfig;
    private JenkinsFake jenkins;
    private Path logs;

    @BeforeEach
    void start() throws IOException {
        infraConfig = infra.start();
        jenkins = JenkinsFake.start();
        jenkins.model().addUser(USER, null, TOKEN, EnumSet.allOf(Permission.class));
        jenkins.model().quietPeriod(Duration.ofMillis(100));
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : List.of("BITBUCKET_REPOSITORY", "BRANCH", "COMMIT", "TRIGGERED_BY", "TASK_KEYS")) {
            parameters.put(name, "");
        }
        jenkins.model().addJob(JOB, parameters);
        logs = Files.createDirectories(Path.of("target", "crash-it"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        // Nothing is checked after the test: SIGKILL rather than a graceful stop (leaving the group and closing three
        // consumers one by one took 2-8 s).
        for (Process child : children) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (jenkins != null) {
            jenkins.close();
        }
        infra.stop();
    }

    @Test
    void killedBetweenTheJenkinsCallAndTheOffsetCommitStartsOneBuild() throws Exception {
        String head = UUID.randomUUID().toString().replace("-", "") + "00000000";
        // Jenkins acts on the trigger but its answer never arrives: the service is caught mid-call.
        jenkins.http().faults().arm(Fault.lostResponse(Duration.ofMinutes(2), 1).onPath("/job/" + JOB + "/buildWithParameters"));
        publish(push(head));

        Process first = launch("first");
        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> !accepted(head).isEmpty() || !first.isAlive());
        assertTrue(first.isAlive(), "the first process died on its own; see " + logs.resolve("first.log"));
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no offset commit, no row update
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, first.exitValue(), "killed by SIGKILL");
        assertEquals(1, accepted(head).size(), "Jenkins queued the build before the kill");
        assertEquals(Optional.of("CALLING"), state(head), "the kill came between storing the decision and recording Jenkins' answer");

        Process second = launch("second");
        await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> state(head).equals(Optional.of("COMPLETED")) || !second.isAlive());
        assertTrue(second.isAlive(), "the second process died; see " + logs.resolve("second.log"));
        assertEquals(Optional.of("COMPLETED"), state(head));

        assertEquals(1, accepted(head).size(), "one build request accepted by Jenkins in all");
        assertTrue(jenkins.model().build(jenkins.model().job(JOB), 1) != null
                && jenkins.model().build(jenkins.model().job(JOB), 2) == null, "one build in Jenkins");
        List<BuildTriggerEvent> events = events(head);
        List<Status> statuses = events.stream().map(BuildTriggerEvent::status).toList();
        assertEquals(Status.REQUESTED, statuses.get(0), statuses.toString());
        assertTrue(events.stream().anyMatch(e -> e.status() == Status.DEDUPLICATED
                && "found in Jenkins after an interrupted trigger".equals(e.reason())), statuses.toString());
        assertEquals(Status.COMPLETED, statuses.get(statuses.size() - 1), statuses.toString());
        assertEquals(1, statuses.stream().filter(s -> s == Status.REQUESTED).count(), "requested once: the second process did not trigger");
    }

    private Process launch(String name) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), jar + " is missing: the integration-test phase runs after package");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Map<String, String> config = new LinkedHashMap<>(infraConfig);
        config.put("bitbridge.owner-pid", Long.toString(ProcessHandle.current().pid()));
        config.put("quarkus.http.port", Integer.toString(FreePort.find()));
        config.put("quarkus.analytics.disabled", "true");
        // A dead member's partitions go to the next one after the session timeout; the broker's minimum keeps it short.
        config.put("kafka.session.timeout.ms", "6000");
        config.put("kafka.heartbeat.interval.ms", "1000");
        config.put("bitbridge.build-trigger.instances.ci.url", jenkins.baseUrl());
        config.put("bitbridge.build-trigger.instances.ci.user", USER);
        config.put("bitbridge.build-trigger.instances.ci.api-token", TOKEN);
        config.put("bitbridge.build-trigger.rules[0].repository", "**");
        config.put("bitbridge.build-trigger.rules[0].instance", "ci");
        config.put("bitbridge.build-trigger.rules[0].default-job", JOB);
        // Longer than the test waits for the kill: the first process must still be waiting for the answer.
        config.put("bitbridge.build-trigger.jenkins.attempt-timeout", "60s");
        // The killed process's claim on its CALLING row runs out 3 s after its last renewal (the default, 15 s, would keep
        // the second process waiting for it).
        config.put("bitbridge.build-trigger.jenkins.call-lease", "3s");
        config.put("bitbridge.build-trigger.jenkins.queue-poll-interval", "100ms");
        config.put("bitbridge.build-trigger.jenkins.build-poll-interval", "100ms");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logs.resolve(name + ".log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        children.add(process);
        return process;
    }

    private List<JenkinsTrigger> accepted(String head) {
        return jenkins.triggers().stream().filter(t -> t.jobPath().equals(JOB) && head.equals(t.parameters().get("COMMIT"))
                && t.status() == 201).toList();
    }

    private static Optional<String> state(String head) throws SQLException {
        try (Connection connection = TestInfra.jdbc()) {
            if (!tableExists(connection)) {
                return Optional.empty();
            }
            try (PreparedStatement query = connection.prepareStatement("select state from build_trigger where commit_hash = ?")) {
                query.setString(1, head);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        }
    }

    private static boolean tableExists(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, TestInfra.schema(), "build_trigger", null)) {
            return tables.next();
        }
    }

    private static void publish(PushEvent push) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(TestInfra.topic(EventType.PUSH_EXPANDED.topic()), null,
                    push.repository().key(), EventJson.toBytes(push),
                    CloudEventHeaders.of(push.deliveryId(), EventType.PUSH_EXPANDED, "/test", push.receivedAt()).toKafkaHeaders());
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every event about the commit on builds.triggers.v1, in order. */
    private static List<BuildTriggerEvent> events(String head) {
        List<BuildTriggerEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = TestInfra.topic(EventType.BUILD_TRIGGER.topic());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    BuildTriggerEvent event = EventJson.fromBytes(record.value(), BuildTriggerEvent.class);
                    if (event.commitHash().equals(head)) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }

    private static PushEvent push(String head) {
        RepositoryRef repository = RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", REPOSITORY_OWNER, REPOSITORY_SLUG,
                REPOSITORY_SLUG, null, List.of());
        Commit commit = new Commit(head, "GAME-5 crash test #jenkins", Person.unknown(), Instant.now(), List.of("0".repeat(40)), List.of());
        RefChange change = new RefChange(RefType.BRANCH, "main", "0".repeat(40), head, false, false, false, List.of(commit), false, true);
        return new PushEvent("crash-" + head, 1, Provider.BITBUCKET_CLOUD, "cred-crash", "repo:push", repository, Person.unknown(),
                List.of(change), Instant.now());
    }
}
