package io.bitbridge.deploy;

import io.bitbridge.common.auth.ClientCredentialsEndpoint;
import io.bitbridge.common.auth.ServiceScopes;
import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.infra.process.Processes;
import io.bitbridge.infra.process.SharedState;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The running local stack: Kafka, PostgreSQL and the services of {@link ServiceSpec#ALL}, each a child of this JVM
 * that also watches it, so nothing outlives the launcher whether it stops by Ctrl-C, {@code ./bitbridge down} or a
 * crash.
 */
final class Stack {
    static final int KAFKA_PORT = 9092;
    static final String DATABASE = "bitbridge";
    private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);
    /** How long a service token from the local endpoint lives; services ask again a minute before it runs out. */
    private static final Duration SERVICE_TOKEN_LIFETIME = Duration.ofMinutes(10);

    private final StackPaths paths;
    private final PrintStream out;
    private final boolean sandbox;
    private final List<AutoCloseable> fakes = new ArrayList<>();
    private final Map<ServiceSpec, Process> services = new LinkedHashMap<>();
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private ClientCredentialsEndpoint tokenEndpoint;

    Stack(StackPaths paths, PrintStream out, boolean sandbox) {
        this.paths = paths;
        this.out = out;
        this.sandbox = sandbox;
    }

    /** Checks everything a start needs before starting anything, so a failure leaves nothing half-started. */
    void preflight() {
        if (ProcessHandleFile.alive(paths.launcherPid())) {
            throw new LaunchException("Bitbridge is already running (launcher pid " + ProcessHandleFile.read(paths.launcherPid())
                    + "): use it, or run ./bitbridge down first");
        }
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(KAFKA_PORT, "Kafka");
        ServiceSpec.ALL.forEach(s -> ports.put(s.port(), s.name()));
        if (sandbox) {
            Sandbox.PORTS.forEach(ports::put);
        }
        for (var port : ports.entrySet()) {
            if (FreePort.inUse(port.getKey())) {
                throw new LaunchException("port " + port.getKey() + " (" + port.getValue() + ") is taken: stop what listens there "
                        + "(ss -ltnp 'sport = :" + port.getKey() + "') and run ./bitbridge up again");
            }
        }
        for (ServiceSpec spec : ServiceSpec.ALL) {
            if (!Files.exists(spec.runnableJar(paths.projectRoot()))) {
                throw new LaunchException(spec.name() + " is not built (" + spec.runnableJar(paths.projectRoot())
                        + " is missing): run ./mvnw -B package -DskipTests, or ./bitbridge up which builds when needed");
            }
        }
    }

    void start() throws IOException, InterruptedException {
        long self = ProcessHandle.current().pid();
        Files.createDirectories(paths.logs());
        ProcessHandleFile.write(paths.launcherPid(), self);
        LocalKeys.ensure(paths);

        postgres = PostgresServer.locate(new SharedState(paths.state()), self);
        postgres.ensureDatabase(DATABASE);
        out.println("PostgreSQL: " + postgres.host() + ":" + postgres.port() + (postgres.embedded() ? " (embedded)" : "")
                + ", database " + DATABASE);
        out.println("starting Kafka on 127.0.0.1:" + KAFKA_PORT + " ...");
        kafka = KafkaBroker.start(paths.kafkaData(), KAFKA_PORT, self);
        recordChild(kafka.pid());

        if (sandbox) {
            fakes.addAll(io.bitbridge.fakes.SandboxFakes.startAll());
        }
        // The services' issuer: the client-credentials grant on a loopback port, signing with the key only this JVM reads.
        tokenEndpoint = ClientCredentialsEndpoint.start(LocalKeys.minter(paths), SERVICE_TOKEN_LIFETIME, 0);
        out.println("token endpoint for the services: " + tokenEndpoint.baseUrl() + ClientCredentialsEndpoint.TOKEN_PATH);
        ServiceLaunch launch = new ServiceLaunch(Path.of(System.getProperty("java.home"), "bin", "java"), self,
                ServiceLaunch.httpHost(System.getenv()), kafka.bootstrapServers(),
                "//" + postgres.host() + ":" + postgres.port() + "/" + DATABASE, postgres.user(), postgres.password(),
                paths.publicKey(), tokenEndpoint.baseUrl().toString(), LocalKeys.cryptoKey(paths),
                commonEnvironment(sandbox));
        for (ServiceSpec spec : ServiceSpec.ALL) {
            ProcessBuilder builder = new ProcessBuilder(launch.command(spec, spec.runnableJar(paths.projectRoot())));
            // A fresh client secret per service and run, known to the token endpoint and to that service only.
            launch.applyTo(builder.environment(), spec, tokenEndpoint.register(spec.name(), ServiceScopes.of(spec.name())));
            Process process = builder
                    .directory(paths.projectRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(paths.logs().resolve(spec.name() + ".log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            services.put(spec, process);
            recordChild(process.pid());
        }
        awaitHealthy();
    }

    private void awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        List<ServiceSpec> waiting = new ArrayList<>(services.keySet());
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                ServiceSpec spec = it.next();
                Process process = services.get(spec);
                if (!process.isAlive()) {
                    throw new LaunchException(spec.name() + " exited with code " + process.exitValue() + " while starting: see "
                            + paths.logs().resolve(spec.name() + ".log"));
                }
                if (ready(http, spec)) {
                    out.println("  " + spec.name() + " healthy at " + spec.url());
                    it.remove();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException("not healthy after " + HEALTH_TIMEOUT.toMinutes() + " minutes: "
                        + waiting.stream().map(ServiceSpec::name).collect(Collectors.joining(", ")) + " (logs in " + paths.logs() + ")");
            }
            Thread.sleep(500);
        }
    }

    private static boolean ready(HttpClient http, ServiceSpec spec) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(spec.url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops services first (they flush to Kafka and PostgreSQL), then Kafka, then an embedded PostgreSQL. */
    void stop() {
        services.values().forEach(Process::destroy);
        services.values().forEach(p -> Processes.awaitExit(p.toHandle(), 20));
        if (tokenEndpoint != null) {
            tokenEndpoint.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.stopEmbedded();
        }
        fakes.forEach(fake -> {
            try {
                fake.close();
            } catch (Exception e) {
                out.println("stopping a sandbox fake failed: " + e.getMessage());
            }
        });
        try {
            Files.deleteIfExists(paths.launcherPid());
            Files.deleteIfExists(paths.childPids());
        } catch (IOException e) {
            out.println("could not remove " + paths.launcherPid() + ": " + e.getMessage());
        }
    }

    private void recordChild(long pid) throws IOException {
        Files.writeString(paths.childPids(), pid + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** What every service gets in its environment besides its own settings: the OAuth callback's public URL, the sandbox's. */
    private static Map<String, String> commonEnvironment(boolean sandbox) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(OAuthCallback.VARIABLE, OAuthCallback.publicUrl(System.getenv()));
        if (sandbox) {
            environment.putAll(Sandbox.ENVIRONMENT);
        }
        return environment;
    }
}
