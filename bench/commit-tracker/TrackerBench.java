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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The commit-tracker benchmark's client side (run by run.sh with the tracker's own libraries on the class path):
 * <ul>
 *   <li>{@code load <bootstrap> <topic> <warmupCommits> <commits> <perPush>}: expanded pushes with realistic commits
 *       into the topic, a warm-up set (other repositories) first</li>
 *   <li>{@code floor <bootstrap> <topic>}: the broker's floor, every record of the topic read by a plain consumer</li>
 *   <li>{@code baseline <jdbcUrl> <commits> <perPush>}: the same commit rows (commits, commit_branches) written by
 *       plain JDBC, batched multi-row inserts (reWriteBatchedInserts), 1,000 rows a statement</li>
 *   <li>{@code await <jdbcUrl> <schema> <warmupCommits> <commits> <trackerPid>}: from the warm-up set stored until
 *       every commit is</li>
 * </ul>
 * The events are the same in every run (fixed seed), so the baseline writes exactly the rows the tracker writes.
 */
public class TrackerBench {
    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
    private static final int REPOSITORIES = 16;
    private static final String[] VERBS = {"Fix", "Add", "Remove", "Refactor", "Speed up", "Log", "Guard", "Document", "Retry"};
    private static final String[] THINGS = {"the loader", "save games", "the matchmaking queue", "texture streaming",
            "the login flow", "audio mixing", "the build cache", "crash reports", "the shader compiler", "inventory sync"};
    private static final String[] PROJECTS = {"GAME", "OPS2", "NET", "UI"};

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "load" -> load(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "floor" -> floor(args[1], args[2]);
            case "baseline" -> baseline(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "await" -> awaitTracker(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** The pushes, generated: {@code commits / perPush} of them, each one ref change on one of 16 repositories. */
    static List<PushEvent> pushes(int commits, int perPush) {
        return pushes(commits, perPush, "bench");
    }

    /** The same shape of history in the workspace {@code owner} (the warm-up set is another workspace). */
    static List<PushEvent> pushes(int commits, int perPush, String owner) {
        Random random = new Random(42);
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String email = "dev" + i + "@acme.test";
            people.add(i % 10 == 9 ? new Person(null, null, email, null, "Dev " + i + " <" + email + ">")
                    : new Person("Developer " + i, "dev" + i, email, "557058:dev-" + i, "Developer " + i + " <" + email + ">"));
        }
        String[] heads = new String[REPOSITORIES];
        List<PushEvent> pushes = new ArrayList<>();
        long counter = 0;
        for (int p = 0; p < commits / perPush; p++) {
            int r = p % REPOSITORIES;
            RepositoryRef repo = RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", owner, "game-" + r, "game-" + r, null, List.of());
            String old = heads[r];
            List<Commit> batch = new ArrayList<>();
            String parent = old;
            Instant at = T0.plusSeconds(p * 60L);
            for (int c = 0; c < perPush; c++) {
                counter++;
                String hash = String.format("%024x%016x", counter * 0x9E3779B97F4A7C15L & Long.MAX_VALUE, counter);
                batch.add(new Commit(hash, message(random), people.get(random.nextInt(people.size())), at.plusSeconds(c),
                        parent == null ? List.of() : List.of(parent), List.of()));
                parent = hash;
            }
            heads[r] = parent;
            Collections.reverse(batch);   // newest first, as Bitbucket lists them
            List<String> paths = List.of("src/engine/" + THINGS[random.nextInt(THINGS.length)].replace(' ', '_') + ".c",
                    "src/game/main.c", "docs/CHANGES.md");
            RefChange change = new RefChange(RefType.BRANCH, p % 7 == 0 ? "feature/" + PROJECTS[r % 4] + "-" + p + "-work" : "main",
                    old, parent, old == null, false, false, batch, perPush > 5, true, paths, null);
            pushes.add(new PushEvent(owner + "-" + p, 1, Provider.BITBUCKET_CLOUD, "credential-1", "repo:push", repo,
                    people.get(r), List.of(change), at.plusSeconds(perPush)));
        }
        return pushes;
    }

    /** A commit message as people write them: a subject, often with a task key, and a body most of the time. */
    private static String message(Random random) {
        String subject = VERBS[random.nextInt(VERBS.length)] + " " + THINGS[random.nextInt(THINGS.length)];
        if (random.nextInt(10) < 4) {
            subject = PROJECTS[random.nextInt(PROJECTS.length)] + "-" + (1 + random.nextInt(2000)) + " " + subject;
        }
        if (random.nextInt(10) < 7) {
            subject += "\n\nThe old code path " + THINGS[random.nextInt(THINGS.length)] + " took did not handle a timeout; "
                    + "now it retries twice and logs why. See https://wiki.acme.test/x/" + random.nextInt(99999) + ".";
        }
        return subject;
    }

    /** The warm-up set first, then the measured one: each partition holds warm-up records before measured ones. */
    static void load(String bootstrap, String topic, int warmupCommits, int commits, int perPush) throws Exception {
        List<PushEvent> pushes = new ArrayList<>(pushes(warmupCommits, perPush, "warmup"));
        pushes.addAll(pushes(commits, perPush));
        long bytes = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262144, ProducerConfig.ACKS_CONFIG, "all",
                // A loaded machine may take longer than the defaults to take the first records, and the idempotent
                // producer then kept resending a batch the broker refused as out of sequence until it expired, lost: not
                // idempotent (a resent record stored twice is written once by the tracker), one request at a time.
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 300_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (PushEvent push : pushes) {
                byte[] value = EventJson.toBytes(push);
                bytes += value.length;
                sent.add(producer.send(new ProducerRecord<>(topic, null, push.repository().key().getBytes(StandardCharsets.UTF_8), value,
                        CloudEventHeaders.of(push.deliveryId(), EventType.PUSH_EXPANDED, "/bench/commit-tracker", push.receivedAt())
                                .toKafkaHeaders())));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> record : sent) {
                record.get();   // a record Kafka did not take fails the load, rather than leaving the tracker short of it
            }
        }
        System.out.printf("RESULT load events=%d commits=%d bytes=%d seconds=%.2f%n", pushes.size(), warmupCommits + commits, bytes,
                (System.nanoTime() - start) / 1e9);
    }

    static void floor(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long start = System.nanoTime();
            long records = 0;
            long bytes = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    bytes += record.value().length;
                }
            }
            System.out.printf("RESULT floor records=%d bytes=%d seconds=%.3f%n", records, bytes, (System.nanoTime() - start) / 1e9);
        }
    }

    static void baseline(String jdbcUrl, int commits, int perPush) throws Exception {
        List<PushEvent> pushes = pushes(commits, perPush);
        try (Connection db = DriverManager.getConnection(jdbcUrl + "&reWriteBatchedInserts=true", "postgres", "")) {
            try (Statement ddl = db.createStatement()) {
                ddl.execute("drop schema if exists bench_baseline cascade");
                ddl.execute("create schema bench_baseline");
                ddl.execute("""
                        create table bench_baseline.commits (repository_key text not null, hash text not null, message text,
                            author_name text, author_email text, author_account_id text, committed_at timestamptz,
                            sort_at timestamptz not null, parents text[] not null default '{}', paths text[] not null default '{}',
                            first_delivery_id text not null, first_seen_at timestamptz not null, primary key (repository_key, hash))""");
                ddl.execute("create index on bench_baseline.commits (repository_key, sort_at desc, hash desc)");
                ddl.execute("""
                        create table bench_baseline.commit_branches (repository_key text not null, hash text not null,
                            branch text not null, delivery_id text not null, pushed_at timestamptz not null,
                            primary key (repository_key, hash, branch))""");
                ddl.execute("create index on bench_baseline.commit_branches (repository_key, branch)");
            }
            long backend = backendPid(db);
            long backendTicks = ticks(backend);
            long clientTicks = ticks(ProcessHandle.current().pid());
            db.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement commitRows = db.prepareStatement("insert into bench_baseline.commits values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement branchRows = db.prepareStatement("insert into bench_baseline.commit_branches values (?, ?, ?, ?, ?)")) {
                int pending = 0;
                for (PushEvent push : pushes) {
                    RefChange change = push.changes().get(0);
                    Timestamp received = Timestamp.from(push.receivedAt());
                    for (Commit commit : change.commits()) {
                        commitRows.setString(1, push.repository().key());
                        commitRows.setString(2, commit.hash());
                        commitRows.setString(3, commit.message());
                        commitRows.setString(4, commit.author().displayName());
                        commitRows.setString(5, commit.author().email());
                        commitRows.setString(6, commit.author().accountId());
                        commitRows.setTimestamp(7, Timestamp.from(commit.date()));
                        commitRows.setTimestamp(8, Timestamp.from(commit.date()));
                        commitRows.setArray(9, db.createArrayOf("text", commit.parents().toArray()));
                        commitRows.setArray(10, db.createArrayOf("text", new Object[0]));
                        commitRows.setString(11, push.deliveryId());
                        commitRows.setTimestamp(12, received);
                        commitRows.addBatch();
                        branchRows.setString(1, push.repository().key());
                        branchRows.setString(2, commit.hash());
                        branchRows.setString(3, change.refName());
                        branchRows.setString(4, push.deliveryId());
                        branchRows.setTimestamp(5, received);
                        branchRows.addBatch();
                        if (++pending == 1000) {
                            commitRows.executeBatch();
                            branchRows.executeBatch();
                            db.commit();
                            pending = 0;
                        }
                    }
                }
                commitRows.executeBatch();
                branchRows.executeBatch();
                db.commit();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("RESULT baseline commits=%d seconds=%.2f commits_per_s=%.0f postgres_cpu_ms=%d client_cpu_ms=%d%n",
                    commits, seconds, commits / seconds, (ticks(backend) - backendTicks) * 10, (ticks(ProcessHandle.current().pid()) - clientTicks) * 10);
            try (Statement ddl = db.createStatement()) {
                ddl.execute("drop schema bench_baseline cascade");
            }
            db.commit();
        }
    }

    /**
     * From the moment the tracker stored the warm-up commits (its JIT has settled by then) until it stored every commit;
     * with the CPU time its JVM and its PostgreSQL backends (every other connection to the database) spent meanwhile.
     */
    static void awaitTracker(String jdbcUrl, String schema, int warmupCommits, int commits, long trackerPid) throws Exception {
        Long start = null;
        long trackerTicks = 0;
        Map<Long, Long> backendTicks = new java.util.HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            while (System.nanoTime() < deadline) {
                long stored = 0;
                try (Statement query = db.createStatement();
                     ResultSet rows = query.executeQuery("select count(*) from " + schema + ".commits")) {
                    rows.next();
                    stored = rows.getLong(1);
                } catch (java.sql.SQLException notYetMigrated) {
                    // the tracker's Flyway has not created the table yet
                }
                if (start == null && stored >= warmupCommits) {
                    start = System.nanoTime();
                    trackerTicks = ticks(trackerPid);
                    for (long backend : backends(db)) {
                        backendTicks.put(backend, ticks(backend));
                    }
                }
                if (stored >= warmupCommits + commits) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    stored -= warmupCommits;
                    long postgres = 0;
                    for (long backend : backends(db)) {
                        postgres += ticks(backend) - backendTicks.getOrDefault(backend, 0L);
                    }
                    System.out.printf("RESULT tracker commits=%d seconds=%.2f commits_per_s=%.0f postgres_cpu_ms=%d tracker_cpu_ms=%d%n",
                            stored, seconds, stored / seconds, postgres * 10, (ticks(trackerPid) - trackerTicks) * 10);
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the tracker did not store " + (warmupCommits + commits) + " commits in time");
    }

    private static long backendPid(Connection db) throws java.sql.SQLException {
        try (Statement query = db.createStatement(); ResultSet rows = query.executeQuery("select pg_backend_pid()")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The other connections' server processes on this database: the tracker's pool. */
    private static List<Long> backends(Connection db) throws java.sql.SQLException {
        List<Long> pids = new ArrayList<>();
        try (Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")) {
            while (rows.next()) {
                pids.add(rows.getLong(1));
            }
        }
        return pids;
    }

    /** User + system CPU time of a process in clock ticks (1/100 s), from /proc; 0 once it is gone. */
    private static long ticks(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
