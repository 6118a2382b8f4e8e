package io.bitbridge.infra.postgres;

import io.bitbridge.infra.InfraException;
import io.bitbridge.infra.process.ChildJvm;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.infra.process.SharedState;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where PostgreSQL runs: the machine's server when one answers (by default 127.0.0.1:5432, user postgres;
 * {@code BITBRIDGE_PG_HOST}, {@code _PORT}, {@code _USER}, {@code _PASSWORD} override), otherwise an embedded
 * PostgreSQL binary from Maven Central in a child JVM. Databases and schemas are created on demand.
 */
public final class PostgresServer {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final long embeddedPid;

    private PostgresServer(String host, int port, String user, String password, long embeddedPid) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embeddedPid = embeddedPid;
    }

    /** The configured server if it answers, else a shared embedded one (started once per state directory). */
    public static PostgresServer locate(SharedState state, long ownerPid) {
        String host = env("BITBRIDGE_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("BITBRIDGE_PG_PORT", "5432"));
        String user = env("BITBRIDGE_PG_USER", "postgres");
        String password = env("BITBRIDGE_PG_PASSWORD", "");
        if (FreePort.answers(host, port, 1000)) {
            PostgresServer server = new PostgresServer(host, port, user, password, -1);
            server.checkLogin();
            return server;
        }
        if ("false".equals(env("BITBRIDGE_PG_EMBEDDED", "true"))) {
            throw new InfraException("PostgreSQL does not answer on " + host + ":" + port
                    + " and the embedded one is switched off (BITBRIDGE_PG_EMBEDDED=false): start PostgreSQL or unset it");
        }
        return state.locked(() -> {
            Properties known = state.read("postgres");
            if (SharedState.alive(known.getProperty("pid"))
                    && FreePort.answers("127.0.0.1", Integer.parseInt(known.getProperty("port", "0")), 500)) {
                return new PostgresServer("127.0.0.1", Integer.parseInt(known.getProperty("port")), "postgres", "",
                        Long.parseLong(known.getProperty("pid")));
            }
            PostgresServer embedded = startEmbedded(state.dir().resolve("postgres"), ownerPid);
            Properties properties = new Properties();
            properties.setProperty("port", String.valueOf(embedded.port));
            properties.setProperty("pid", String.valueOf(embedded.embeddedPid));
            state.write("postgres", properties);
            return embedded;
        });
    }

    /** A server someone else runs (a container, a managed database): nothing is started or stopped here. */
    public static PostgresServer at(String host, int port, String user, String password) {
        return new PostgresServer(host, port, user, password, -1);
    }

    static PostgresServer startEmbedded(Path dir, long ownerPid) {
        int port = FreePort.find();
        Path log = dir.resolve("postgres.log");
        try {
            Process process = ChildJvm.startAndAwaitReady("the embedded PostgreSQL", EmbeddedPostgresMain.class, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                    List.of(dir.toString(), String.valueOf(port), String.valueOf(ownerPid), dir.resolve("ready").toString()),
                    dir.resolve("ready"), log, START_TIMEOUT,
                    code -> "no PostgreSQL answers and the embedded PostgreSQL failed to start (exit " + code + ", details in "
                            + log + "): start a PostgreSQL server or point BITBRIDGE_PG_HOST / BITBRIDGE_PG_PORT at one");
            return new PostgresServer("127.0.0.1", port, "postgres", "", process.pid());
        } catch (IOException e) {
            throw new InfraException("no PostgreSQL answers and the embedded PostgreSQL could not start (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "): start a PostgreSQL server or point BITBRIDGE_PG_HOST / BITBRIDGE_PG_PORT at one", e);
        }
    }

    private void checkLogin() {
        try (Connection ignored = connect("postgres")) {
            // the server answers and accepts us
        } catch (SQLException e) {
            throw new InfraException("PostgreSQL on " + host + ":" + port + " refused user '" + user + "': " + e.getMessage()
                    + " (set BITBRIDGE_PG_USER / BITBRIDGE_PG_PASSWORD)", e);
        }
    }

    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    public void ensureDatabase(String database) {
        requireIdentifier(database);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'");
            if (!rs.next()) {
                try {
                    s.execute("create database " + database);
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another JVM
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new InfraException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Drops the database, ending the sessions still connected to it (PostgreSQL 13 or newer). */
    public void dropDatabase(String database) {
        execute("postgres", "drop database if exists " + requireIdentifier(database) + " with (force)");
    }

    public void createSchema(String database, String schema) {
        execute(database, "create schema if not exists " + requireIdentifier(schema));
    }

    public void dropSchema(String database, String schema) {
        execute(database, "drop schema if exists " + requireIdentifier(schema) + " cascade");
    }

    private void execute(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new InfraException(sql + " failed: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL form of the Vert.x reactive PostgreSQL client. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean embedded() {
        return embeddedPid > 0;
    }

    public void stopEmbedded() {
        if (embedded()) {
            ProcessHandle.of(embeddedPid).ifPresent(ProcessHandle::destroy);
        }
    }

    private static String requireIdentifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case SQL identifier: " + name);
        }
        return name;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? System.getProperty(name, fallback) : value;
    }
}
