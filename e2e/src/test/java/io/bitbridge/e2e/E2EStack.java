package io.bitbridge.e2e;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.deploy.Sandbox;
import io.bitbridge.deploy.SandboxFlow;
import io.bitbridge.deploy.Stack;
import io.bitbridge.deploy.StackOptions;
import io.bitbridge.deploy.StackPaths;
import io.bitbridge.events.EventType;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.testkit.LibraryLogging;
import io.bitbridge.testkit.SharedTestInfra;
import io.bitbridge.testkit.TcpRelay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The six packaged services, started by the launcher's {@link Stack} on free ports against a Kafka broker of their own
 * (a scenario stops it; stopping the build's would disturb every other test) and the build's PostgreSQL (a database of
 * their own), with Bitbucket Cloud, Bitbucket Server and Jenkins fakes of their own. Every event topic is created with
 * {@value #PARTITIONS} partitions before the services start. Logs go to {@code target/<home>/logs}. Started with
 * {@link Options#throughDatabaseRelay}, the services reach PostgreSQL through {@link #databaseRelay}, which a scenario
 * cuts and restores (an outage, without touching the shared server).
 */
final class E2EStack implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int PARTITIONS = 3;

    /**
     * What a test class changes in the stack.
     *
     * @param home             its directory under {@code target}
     * @param properties        more configuration for every service (over the defaults here)
     * @param serviceProperties more configuration for one service, by its name
     * @param cloudRepositories more repositories ({@code workspace/slug}, branch {@code main}) in the Cloud fake
     * @param twoInstancesOf    services that run a second instance (same configuration and consumer groups)
     * @param throughDatabaseRelay the services reach PostgreSQL through {@link #databaseRelay}
     */
    record Options(String home, Map<String, String> properties, Map<String, Map<String, String>> serviceProperties,
                   List<String> cloudRepositories, List<String> twoInstancesOf, boolean throughDatabaseRelay) {
        /** The default stack in a directory of its own, its services behind a database relay. */
        static Options behindDatabaseRelay(String home) {
            return new Options(home, Map.of(), Map.of(), List.of(), List.of(), true);
        }
    }

    final BitbucketCloudFake cloud;
    final BitbucketServerFake server;
    final JenkinsFake jenkins;
    final Stack stack;
    final String database;
    final String topicSuffix;
    final OwnBroker broker;
    /** Between the services and PostgreSQL, or null when they reach it directly. */
    final TcpRelay databaseRelay;
    private final SharedTestInfra infra;

    private E2EStack(BitbucketCloudFake cloud, BitbucketServerFake server, JenkinsFake jenkins, Stack stack, String database,
                     String topicSuffix, OwnBroker broker, TcpRelay databaseRelay, SharedTestInfra infra) {
        this.cloud = cloud;
        this.server = server;
        this.jenkins = jenkins;
        this.stack = stack;
        this.database = database;
        this.topicSuffix = topicSuffix;
        this.broker = broker;
        this.databaseRelay = databaseRelay;
        this.infra = infra;
    }

    static E2EStack start(Options scenario) throws IOException, InterruptedException {
        LibraryLogging.infoAndAbove();
        SharedTestInfra infra = SharedTestInfra.get();
        PostgresServer postgres = infra.postgres();
        TcpRelay databaseRelay = scenario.throughDatabaseRelay() ? TcpRelay.to(postgres.host(), postgres.port()) : null;
        PostgresServer servicesPostgres = databaseRelay == null ? postgres
                : PostgresServer.at(databaseRelay.host(), databaseRelay.port(), postgres.user(), postgres.password());
        Path home = Path.of("target", scenario.home()).toAbsolutePath();
        OwnBroker broker = new OwnBroker(home.resolve("kafka"));
        String isolation = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        broker.createTopics(Arrays.stream(EventType.values()).map(type -> type.topic() + "." + isolation).toList(), PARTITIONS);
        BitbucketCloudFake.Builder cloudFake = BitbucketCloudFake.sandboxBuilder();
        for (String repository : scenario.cloudRepositories()) {
            String[] name = repository.split("/");
            cloudFake.repository(name[0], name[1], "main", Map.of("README.md", "# " + name[1] + "\n"));
        }
        BitbucketCloudFake cloud = cloudFake.start();
        BitbucketServerFake server = BitbucketServerFake.sandbox(0).dataCenterCommits(false);
        JenkinsFake jenkins = JenkinsFake.sandbox(0);
        Map<String, Integer> ports = StackOptions.ports(spec -> FreePort.find());
        String gateway = "http://127.0.0.1:" + ports.get("webhook-gateway");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bitbridge.topic-suffix", "." + isolation);
        // Consumers may join after the first event of a fresh topic: they must start from its beginning.
        properties.put("kafka.auto.offset.reset", "earliest");
        // The Jenkins fake finishes builds at once; look soon rather than every 10 s.
        properties.put("bitbridge.build-trigger.jenkins.build-poll-interval", "200ms");
        properties.put("bitbridge.build-trigger.jenkins.queue-poll-interval", "200ms");
        properties.putAll(scenario.properties());
        String database = "e2e_" + isolation;
        StackOptions options = new StackOptions(Sandbox.settings(cloud.baseUri().toString(), jenkins.baseUrl(), gateway), false,
                Optional.of(broker.bootstrapServers()), Optional.of(servicesPostgres), database, ports, properties,
                scenario.serviceProperties());
        Path root = Path.of("..").toAbsolutePath().normalize();
        Files.createDirectories(home);
        Stack stack = new Stack(new StackPaths(root, home), new PrintStream(Files.newOutputStream(home.resolve("stack.out")), true), options);
        E2EStack running = new E2EStack(cloud, server, jenkins, stack, database, isolation, broker, databaseRelay, infra);
        try {
            stack.preflight();
            stack.start(scenario.twoInstancesOf());
            return running;
        } catch (IOException | InterruptedException | RuntimeException e) {
            running.close();
            throw e;
        }
    }

    SandboxFlow flow() {
        return new SandboxFlow(SandboxFlow.Endpoints.of(stack::url, cloud.baseUri().toString(), jenkins.baseUrl()),
                stack.token(Roles.ADMIN), PATIENCE);
    }

    String url(String service) {
        return stack.url(service);
    }

    String token(String role) {
        return stack.token(role);
    }

    /** Every Jenkins build request with this commit as its COMMIT parameter. */
    List<io.bitbridge.fakes.jenkins.JenkinsTrigger> triggersOf(String commit) {
        return jenkins.triggers().stream().filter(t -> commit.equals(t.parameters().get("COMMIT"))).toList();
    }

    /** Rows of a service's table whose column holds the value (straight from PostgreSQL, not through an API). */
    long rows(String schemaAndTable, String column, String value) {
        return rowsPer(schemaAndTable, column, List.of(value)).getOrDefault(value, 0L);
    }

    /** The rows themselves (column = value), each as column=value text, for failure messages. */
    List<String> rowsText(String schemaAndTable, String column, String value) {
        List<String> rows = new java.util.ArrayList<>();
        try (var connection = infra.postgres().connect(database);
             var statement = connection.prepareStatement("select * from " + schemaAndTable + " where " + column + " = ?")) {
            statement.setString(1, value);
            try (var result = statement.executeQuery()) {
                var meta = result.getMetaData();
                while (result.next()) {
                    StringBuilder row = new StringBuilder("{");
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.append(i > 1 ? ", " : "").append(meta.getColumnName(i)).append('=').append(result.getString(i));
                    }
                    rows.add(row.append('}').toString());
                }
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #rows}, for many values in one query: the count per value that has rows. */
    Map<String, Long> rowsPer(String schemaAndTable, String column, Collection<String> values) {
        Map<String, Long> counts = new HashMap<>();
        try (var connection = infra.postgres().connect(database);
             var statement = connection.prepareStatement("select " + column + ", count(*) from " + schemaAndTable
                     + " where " + column + " = any(?) group by " + column)) {
            statement.setArray(1, connection.createArrayOf("text", values.toArray()));
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    counts.put(result.getString(1), result.getLong(2));
                }
            }
            return counts;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stack.stop();
        jenkins.close();
        server.close();
        cloud.close();
        broker.close();
        if (databaseRelay != null) {
            databaseRelay.close();
        }
        infra.postgres().dropDatabase(database);
    }
}
