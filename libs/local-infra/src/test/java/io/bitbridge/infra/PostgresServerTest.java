package io.bitbridge.infra;

import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.SharedState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresServerTest {

    @Test
    void createsDatabaseAndSchemaOnDemand(@TempDir Path dir) throws Exception {
        PostgresServer server = PostgresServer.locate(new SharedState(dir), ProcessHandle.current().pid());
        try {
            server.ensureDatabase("bitbridge_infra_test");
            server.ensureDatabase("bitbridge_infra_test");
            server.createSchema("bitbridge_infra_test", "infra_probe");
            try (Connection c = server.connect("bitbridge_infra_test");
                 ResultSet rs = c.createStatement().executeQuery(
                         "select count(*) from information_schema.schemata where schema_name = 'infra_probe'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            server.dropSchema("bitbridge_infra_test", "infra_probe");
        } finally {
            server.stopEmbedded();
        }
    }

    @Test
    void startsTheEmbeddedBinaryWhenNoServerAnswers(@TempDir Path dir) throws Exception {
        int closedPort = io.bitbridge.infra.process.FreePort.find();
        System.setProperty("BITBRIDGE_PG_PORT", String.valueOf(closedPort));
        PostgresServer server;
        try {
            server = PostgresServer.locate(new SharedState(dir), ProcessHandle.current().pid());
        } finally {
            System.clearProperty("BITBRIDGE_PG_PORT");
        }
        try {
            assertTrue(server.embedded());
            server.ensureDatabase("bitbridge_embedded_probe");
            try (Connection c = server.connect("bitbridge_embedded_probe");
                 ResultSet rs = c.createStatement().executeQuery("show server_version")) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("17."), rs.getString(1));
            }
        } finally {
            server.stopEmbedded();
        }
    }

    @Test
    void rejectsIdentifiersThatAreNotPlainNames(@TempDir Path dir) {
        PostgresServer server = PostgresServer.locate(new SharedState(dir), ProcessHandle.current().pid());
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> server.createSchema("postgres", "x; drop database postgres"));
        } finally {
            server.stopEmbedded();
        }
    }
}
