package io.bitbridge.testkit;

import io.bitbridge.common.auth.TokenMinter;
import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.BuildOwner;
import io.bitbridge.infra.process.SharedState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/**
 * The servers of a whole build, made once per JVM: one Kafka broker and one PostgreSQL shared by every
 * module's test JVM (they die with the Maven process), plus this JVM's token key pair.
 * {@code KAFKA_BOOTSTRAP_SERVERS} in the environment points the tests at an existing broker instead;
 * {@code -Dbitbridge.infra=testcontainers} runs both in containers where a Docker engine answers ({@link ContainerInfra}).
 */
public final class SharedTestInfra {
    public static final String DATABASE = "bitbridge_test";
    private static volatile SharedTestInfra instance;

    private final String kafkaBootstrapServers;
    private final PostgresServer postgres;
    private final KeyPair keys;
    private final Path privateKeyFile;
    private final Path publicKeyFile;

    private SharedTestInfra(String kafkaBootstrapServers, PostgresServer postgres, KeyPair keys, Path privateKeyFile,
                            Path publicKeyFile) {
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.postgres = postgres;
        this.keys = keys;
        this.privateKeyFile = privateKeyFile;
        this.publicKeyFile = publicKeyFile;
    }

    public static SharedTestInfra get() {
        if (instance == null) {
            synchronized (SharedTestInfra.class) {
                if (instance == null) {
                    instance = create();
                }
            }
        }
        return instance;
    }

    private static SharedTestInfra create() {
        String bootstrap;
        PostgresServer postgres;
        if (ContainerInfra.selected(System.getProperty(ContainerInfra.PROPERTY)) == ContainerInfra.Kind.TESTCONTAINERS) {
            ContainerInfra.Started containers = ContainerInfra.start();
            bootstrap = containers.kafkaBootstrapServers();
            postgres = containers.postgres();
        } else {
            long owner = BuildOwner.pid();
            SharedState state = new SharedState(Path.of(System.getProperty("java.io.tmpdir"), "bitbridge-test-infra-" + owner));
            String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            bootstrap = external != null && !external.isBlank() ? external : KafkaBroker.shared(state, owner).bootstrapServers();
            postgres = PostgresServer.locate(state, owner);
        }
        postgres.ensureDatabase(DATABASE);
        KeyPair keys = TokenMinter.generateKeyPair();
        try {
            Path keyFile = Files.createTempFile("bitbridge-test-key", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            keyFile.toFile().deleteOnExit();
            Files.writeString(keyFile, TokenMinter.privateKeyPem(keys.getPrivate()));
            Path publicFile = Files.createTempFile("bitbridge-test-key", ".pub.pem");
            publicFile.toFile().deleteOnExit();
            Files.writeString(publicFile, TokenMinter.publicKeyPem(keys.getPublic()));
            return new SharedTestInfra(bootstrap, postgres, keys, keyFile, publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KeyPair keys() {
        return keys;
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    public Path privateKeyFile() {
        return privateKeyFile;
    }
}
