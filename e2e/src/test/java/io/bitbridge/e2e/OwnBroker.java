package io.bitbridge.e2e;

import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.process.FreePort;

import java.nio.file.Path;

/** A Kafka broker of one test's own, stopped and started again on the same port with its data kept (an outage). */
final class OwnBroker {
    private final Path dataDir;
    private final int port = FreePort.find();
    private KafkaBroker running;

    OwnBroker(Path dataDir) {
        this.dataDir = dataDir;
        start();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
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
}
