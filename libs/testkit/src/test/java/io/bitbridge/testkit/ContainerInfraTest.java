package io.bitbridge.testkit;

import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration of the Testcontainers path, checked without a Docker engine (the containers are built, never
 * started): which images, which settings, and how the services' bootstrap servers and JDBC URL follow from the ports
 * Docker maps. Starting them is exercised only where Docker runs.
 */
class ContainerInfraTest {

    @Test
    void theLaunchedInfrastructureStaysTheDefaultAndUnknownChoicesAreRefused() {
        assertEquals(ContainerInfra.Kind.LAUNCHED, ContainerInfra.selected(null));
        assertEquals(ContainerInfra.Kind.LAUNCHED, ContainerInfra.selected(""));
        assertEquals(ContainerInfra.Kind.LAUNCHED, ContainerInfra.selected("launched"));
        assertEquals(ContainerInfra.Kind.TESTCONTAINERS, ContainerInfra.selected("testcontainers"));
        IllegalStateException typo = assertThrows(IllegalStateException.class, () -> ContainerInfra.selected("testcontainer"));
        assertEquals("-Dbitbridge.infra=testcontainer: expected launched (the default) or testcontainers", typo.getMessage());
    }

    @Test
    void kafkaIsTheOfficialImageAtTheLaunchedBrokersVersionWithItsPartitions() throws IOException {
        try (KafkaContainer kafka = ContainerInfra.kafka()) {
            assertEquals("apache/kafka:" + rootPomProperty("kafka.broker.version"), ContainerInfra.KAFKA_IMAGE);
            assertTrue(imageOf(kafka).contains("imageName=" + ContainerInfra.KAFKA_IMAGE + ","), imageOf(kafka));
            assertEquals("3", kafka.getEnvMap().get("KAFKA_NUM_PARTITIONS"));
            assertEquals("true", kafka.getEnvMap().get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"));
            assertTrue(kafka.getExposedPorts().contains(ContainerInfra.KAFKA_PORT), kafka.getExposedPorts().toString());
        }
        assertEquals("localhost:49153", ContainerInfra.bootstrapServers("localhost", 49153));
    }

    @Test
    void postgresHoldsTheTestDatabaseAndTheServicesReachItAtTheMappedPort() {
        try (PostgreSQLContainer postgres = ContainerInfra.postgres()) {
            assertTrue(imageOf(postgres).contains("imageName=" + ContainerInfra.POSTGRES_IMAGE + ","), imageOf(postgres));
            assertEquals(SharedTestInfra.DATABASE, postgres.getDatabaseName());
            assertEquals(ContainerInfra.POSTGRES_USER, postgres.getUsername());
            assertTrue(postgres.getExposedPorts().contains(PostgreSQLContainer.POSTGRESQL_PORT));
        }
        var server = ContainerInfra.postgresServer("docker-host", 55432);
        assertEquals("jdbc:postgresql://docker-host:55432/" + SharedTestInfra.DATABASE, server.jdbcUrl(SharedTestInfra.DATABASE));
        assertEquals(ContainerInfra.POSTGRES_PASSWORD, server.password());
        assertTrue(!server.embedded(), "a container is not the launcher's to stop");
    }

    /** The image a container will pull, read without resolving it (resolving needs Docker). */
    private static String imageOf(org.testcontainers.containers.GenericContainer<?> container) {
        return container.getImage().toString();
    }

    private static String rootPomProperty(String name) throws IOException {
        Matcher property = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(Path.of("../../pom.xml")));
        assertTrue(property.find(), "the root pom has no " + name);
        return property.group(1);
    }
}
