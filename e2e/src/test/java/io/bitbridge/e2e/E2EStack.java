package io.bitbridge.e2e;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.deploy.Sandbox;
import io.bitbridge.deploy.SandboxFlow;
import io.bitbridge.deploy.Stack;
import io.bitbridge.deploy.StackOptions;
import io.bitbridge.deploy.StackPaths;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.testkit.SharedTestInfra;
import io.bitbridge.testkit.TcpRelay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The six packaged services, started by the launcher's {@link Stack} on free ports against a Kafka broker of their own
 * (a scenario stops it; stopping the build's would disturb every other test) and the build's PostgreSQL (a database of
 * their own), with Bitbucket Cloud, Bitbucket Server and Jenkins fakes of their own. Logs go to
 * {@code target/e2e-stack/logs}. Started {@link #start(boolean) with a database relay}, the services reach PostgreSQL
 * through {@link #databaseRelay}, which a scenario cuts and restores (an outage, without touching the shared server).
 */
final class E2EStack implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(60);

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

    static E2EStack start() throws IOException, InterruptedException {
        return start(false);
    }

    static E2EStack start(boolean throughDatabaseRelay) throws IOException, InterruptedException {
        SharedTestInfra infra = SharedTestInfra.get();
        PostgresServer postgres = infra.postgres();
        TcpRelay databaseRelay = throughDatabaseRelay ? TcpRelay.to(postgres.host(), postgres.port()) : null;
        PostgresServer servicesPostgres = databaseRelay == null ? postgres
                : PostgresServer.at(databaseRelay.host(), databaseRelay.port(), postgres.user(), postgres.password());
        Path home = Path.of("target", "e2e-stack").toAbsolutePath();
        OwnBroker broker = new OwnBroker(home.resolve("kafka"));
        String isolation = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        BitbucketCloudFake cloud = BitbucketCloudFake.sandbox();
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
        String database = "e2e_" + isolation;
        StackOptions options = new StackOptions(Sandbox.settings(cloud.baseUri().toString(), jenkins.baseUrl(), gateway), false,
                Optional.of(broker.bootstrapServers()), Optional.of(servicesPostgres), database, ports, properties);
        Path root = Path.of("..").toAbsolutePath().normalize();
        Files.createDirectories(home);
        Stack stack = new Stack(new StackPaths(root, home), new PrintStream(Files.newOutputStream(home.resolve("stack.out")), true), options);
        E2EStack running = new E2EStack(cloud, server, jenkins, stack, database, isolation, broker, databaseRelay, infra);
        try {
            stack.preflight();
            stack.start();
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
        try (var connection = infra.postgres().connect(database);
             var statement = connection.prepareStatement("select count(*) from " + schemaAndTable + " where " + column + " = ?")) {
            statement.setString(1, value);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
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
