package io.bitbridge.testkit;

import io.bitbridge.infra.postgres.PostgresServer;

import java.sql.Connection;
import java.sql.SQLException;

/** What a running test class may ask of its isolated infrastructure. */
public final class TestInfra {
    private static volatile String isolation;
    private static volatile String schema;

    private TestInfra() {
    }

    static void begin(String isolationId, String schemaName) {
        isolation = isolationId;
        schema = schemaName;
    }

    /** The test class's own name for a topic, e.g. {@code bitbucket.push.v1.3f9c1a2b4d}. */
    public static String topic(String base) {
        return base + "." + requireStarted();
    }

    public static String schema() {
        requireStarted();
        return schema;
    }

    public static String kafkaBootstrapServers() {
        return SharedTestInfra.get().kafkaBootstrapServers();
    }

    /** A plain JDBC connection to the test class's schema, for asserting on what a service stored. */
    public static Connection jdbc() throws SQLException {
        PostgresServer postgres = SharedTestInfra.get().postgres();
        Connection connection = postgres.connect(SharedTestInfra.DATABASE);
        connection.setSchema(schema());
        return connection;
    }

    private static String requireStarted() {
        if (isolation == null) {
            throw new IllegalStateException("BitbridgeTestResource has not started: annotate the test with "
                    + "@WithTestResource(BitbridgeTestResource.class)");
        }
        return isolation;
    }
}
