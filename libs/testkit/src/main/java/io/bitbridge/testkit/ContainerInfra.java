package io.bitbridge.testkit;

import io.bitbridge.infra.postgres.PostgresServer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.Locale;

/**
 * The opt-in test infrastructure for machines with a Docker engine: with {@code -Dbitbridge.infra=testcontainers} the
 * tests run against an {@code apache/kafka} (KRaft) and a {@code postgres} container started through Testcontainers
 * (https://java.testcontainers.org/modules/kafka/, https://java.testcontainers.org/modules/databases/postgres/)
 * instead of the launched broker and the machine's PostgreSQL. One pair per test JVM; Testcontainers removes them
 * when the JVM ends. The default ({@code launched}) needs no Docker.
 */
final class ContainerInfra {
    static final String PROPERTY = "bitbridge.infra";
    /** The broker version the launched broker runs (root pom kafka.broker.version), so both paths test the same Kafka. */
    static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    static final String POSTGRES_IMAGE = "postgres:17-alpine";
    static final String POSTGRES_USER = "bitbridge";
    static final String POSTGRES_PASSWORD = "bitbridge-test";
    /** The broker's listener for clients outside its container (Testcontainers maps it to a free host port). */
    static final int KAFKA_PORT = 9092;
    /** The launched broker's settings that the tests rely on: three partitions per auto-created topic. */
    static final int PARTITIONS = 3;

    enum Kind { LAUNCHED, TESTCONTAINERS }

    private ContainerInfra() {
    }

    /** Which infrastructure the build asked for; an unknown value is refused rather than silently ignored. */
    static Kind selected(String value) {
        if (value == null || value.isBlank()) {
            return Kind.LAUNCHED;
        }
        try {
            return Kind.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + value + ": expected launched (the default) or testcontainers", e);
        }
    }

    static KafkaContainer kafka() {
        return new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withEnv("KAFKA_NUM_PARTITIONS", String.valueOf(PARTITIONS))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true");
    }

    static PostgreSQLContainer postgres() {
        return new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName(SharedTestInfra.DATABASE)
                .withUsername(POSTGRES_USER)
                .withPassword(POSTGRES_PASSWORD);
    }

    /** What the services are pointed at: the host Docker publishes on and the port mapped to the broker's listener. */
    static String bootstrapServers(String host, int mappedPort) {
        return host + ":" + mappedPort;
    }

    static PostgresServer postgresServer(String host, int mappedPort) {
        return PostgresServer.at(host, mappedPort, POSTGRES_USER, POSTGRES_PASSWORD);
    }

    /** Starts both containers (Docker must answer) and says where they listen. */
    static Started start() {
        KafkaContainer kafka = kafka();
        PostgreSQLContainer postgres = postgres();
        kafka.start();
        postgres.start();
        return new Started(bootstrapServers(kafka.getHost(), kafka.getMappedPort(KAFKA_PORT)),
                postgresServer(postgres.getHost(), postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT)));
    }

    record Started(String kafkaBootstrapServers, PostgresServer postgres) {
    }
}
