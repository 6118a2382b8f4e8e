package io.bitbridge.infra.kafka;

import io.bitbridge.infra.InfraException;
import io.bitbridge.infra.process.ChildJvm;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.infra.process.Processes;
import io.bitbridge.infra.process.SharedState;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A real single-node Kafka broker running in a child JVM ({@link KafkaBrokerMain}), tied to an owner
 * process: it stops with {@link #stop()} or, at the latest, when the owner ends.
 */
public final class KafkaBroker {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx160m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xss512k", "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.showDateTime=true");

    private final String bootstrapServers;
    private final long pid;
    private final Path dataDir;

    private KafkaBroker(String bootstrapServers, long pid, Path dataDir) {
        this.bootstrapServers = bootstrapServers;
        this.pid = pid;
        this.dataDir = dataDir;
    }

    /** Starts a broker on {@code port} (0: a free one) keeping its data in {@code dataDir}. */
    public static KafkaBroker start(Path dataDir, int port, long ownerPid) {
        return start(dataDir, port, ownerPid, false);
    }

    /** As {@link #start(Path, int, long)}; an {@code ephemeral} broker deletes its data when it stops. */
    public static KafkaBroker start(Path dataDir, int port, long ownerPid, boolean ephemeral) {
        int brokerPort = port == 0 ? FreePort.find() : port;
        if (FreePort.inUse(brokerPort)) {
            throw new InfraException("port " + brokerPort + " is taken: stop what listens there (ss -ltnp 'sport = :"
                    + brokerPort + "') or choose another Kafka port");
        }
        int controllerPort = FreePort.find();
        Path log = dataDir.resolve("broker.log");
        List<String> options = new java.util.ArrayList<>(JVM_OPTIONS);
        options.add("-Dbitbridge.kafka.ephemeral=" + ephemeral);
        try {
            Process process = ChildJvm.startAndAwaitReady("the Kafka broker", KafkaBrokerMain.class, options,
                    List.of(dataDir.toString(), String.valueOf(brokerPort), String.valueOf(controllerPort),
                            String.valueOf(ownerPid), dataDir.resolve("ready").toString()),
                    dataDir.resolve("ready"), log, START_TIMEOUT,
                    code -> "the Kafka broker exited with code " + code + " while starting; see the end of " + log + " for why");
            return new KafkaBroker("127.0.0.1:" + brokerPort, process.pid(), dataDir);
        } catch (IOException e) {
            throw new InfraException("cannot start the Kafka broker JVM: " + e.getMessage(), e);
        }
    }

    /**
     * The broker shared by every JVM that passes the same state directory and owner: started by the first,
     * reused by the rest (one broker for a whole Maven build).
     */
    public static KafkaBroker shared(SharedState state, long ownerPid) {
        return state.locked(() -> {
            Properties known = state.read("kafka");
            String bootstrap = known.getProperty("bootstrap");
            if (SharedState.alive(known.getProperty("pid")) && bootstrap != null
                    && FreePort.answers("127.0.0.1", Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)), 500)) {
                return new KafkaBroker(bootstrap, Long.parseLong(known.getProperty("pid")), state.dir().resolve("kafka"));
            }
            KafkaBroker broker = start(state.dir().resolve("kafka"), 0, ownerPid, true);
            Properties properties = new Properties();
            properties.setProperty("bootstrap", broker.bootstrapServers);
            properties.setProperty("pid", String.valueOf(broker.pid));
            state.write("kafka", properties);
            return broker;
        });
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return pid;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker cleanly (it runs its shutdown hook), forcibly after 30 s. */
    public void stop() {
        ProcessHandle.of(pid).ifPresent(handle -> Processes.stop(handle, 30));
    }
}
