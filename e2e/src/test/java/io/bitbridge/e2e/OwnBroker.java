package io.bitbridge.e2e;

import io.bitbridge.common.messaging.KafkaTopics;
import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.process.FreePort;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A Kafka broker of one test's own, stopped and started again on the same port with its data kept (an outage). */
final class OwnBroker {
    private final Path dataDir;
    private final int port = FreePort.find();
    private KafkaBroker running;

    /** Starts it on a free port with no data left from an earlier run. */
    OwnBroker(Path dataDir) {
        this.dataDir = dataDir;
        deleteData();
        start();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** An admin client of this broker (close it). */
    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates the topics with this many partitions (before anything auto-creates them with the broker's default). */
    void createTopics(List<String> topics, int partitions) {
        KafkaTopics.create(bootstrapServers(), topics, Optional.of(partitions));
    }

    void start() {
        running = KafkaBroker.start(dataDir, port, ProcessHandle.current().pid(), false);
    }

    void stop() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    /** Stops it for good and removes its data. */
    void close() {
        stop();
        deleteData();
    }

    private void deleteData() {
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
