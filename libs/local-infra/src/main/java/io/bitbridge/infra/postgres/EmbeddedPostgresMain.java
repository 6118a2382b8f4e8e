package io.bitbridge.infra.postgres;

import io.bitbridge.infra.process.OwnerWatch;
import io.bitbridge.infra.process.ReadyFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of {@link PostgresServer} when no PostgreSQL answers: the PostgreSQL binary shipped in a
 * Maven Central jar (zonky). Usage: {@code <dataDir> <port> <ownerPid> <readyFile>}.
 */
public final class EmbeddedPostgresMain {
    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        long ownerPid = Long.parseLong(args[2]);
        Path readyFile = Path.of(args[3]);
        OwnerWatch.exitWhenGone(ownerPid);
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir.resolve("data"))
                .setOverrideWorkingDirectory(dataDir.resolve("work").toFile())
                .setCleanDataDirectory(false)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("stopping embedded PostgreSQL failed: " + e);
            }
        }, "postgres-shutdown"));
        ReadyFile.write(readyFile, "127.0.0.1:" + port + "\n");
        System.err.println("embedded PostgreSQL ready on 127.0.0.1:" + port);
        Thread.currentThread().join();
    }
}
