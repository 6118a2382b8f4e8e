package io.bitbridge.deploy;

import io.bitbridge.common.auth.ClientCredentialsEndpoint;
import io.bitbridge.common.auth.ServiceScopes;
import io.bitbridge.common.messaging.KafkaTopics;
import io.bitbridge.events.EventType;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The running local stack: Kafka, PostgreSQL and the services of {@link ServiceSpec#ALL} (or some of them), each a
 * child of this JVM that also watches it, so nothing outlives the launcher whether it stops by Ctrl-C, {@code ./bitbridge down} or a
 * crash.
 */
public final class Stack {
    static final int KAFKA_PORT = 9092;
    static final String DATABASE = "bitbridge";
    private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);
    /** How long a service token from the local endpoint lives; services ask again a minute before it runs out. */
    private static final Duration SERVICE_TOKEN_LIFETIME = Duration.ofMinutes(10);

    private final StackPaths paths;
    private final PrintStream out;
    private final StackOptions options;
    private final List<ServiceSpec> specs;
    private final List<AutoCloseable> fakes = new ArrayList<>();
    /** The running service processes, first started first; a killed one leaves the list. */
    private final List<Instance> instances = new ArrayList<>();
    /** Each service's client secret of this run: every instance of a service is the same client. */
    private final Map<ServiceSpec, String> clientSecrets = new LinkedHashMap<>();
    private ServiceLaunch launch;
    private KafkaBroker kafka;
    private String kafkaBootstrap;
    private PostgresServer postgres;
    private ClientCredentialsEndpoint tokenEndpoint;

    public Stack(StackPaths paths, PrintStream out, StackOptions options) {
        this(paths, out, options, ServiceSpec.ALL);
    }

    /**
     * One running process of a service: the first on its port of {@link StackOptions}, more ones (a scale-out) on free
     * ports, each logging to its own file.
     */
    public record Instance(ServiceSpec spec, int number, int port, Process process) {
        /** The service's name, with {@code -2}, {@code -3}, ... for the instances after the first. */
        public String name() {
            return name(spec, number);
        }

        static String name(ServiceSpec spec, int number) {
            return number == 1 ? spec.name() : spec.name() + "-" + number;
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** A stack of some of the services only, in this order (a test that needs two of them). */
    public Stack(StackPaths paths, PrintStream out, StackOptions options, List<ServiceSpec> specs) {
        this.paths = paths;
        this.out = out;
        this.options = options;
        this.specs = List.copyOf(specs);
    }

    /** Checks everything a start needs before starting anything, so a failure leaves nothing half-started. */
    public void preflight() {
        if (ProcessHandleFile.alive(paths.launcherPid())) {
            throw new LaunchException("Bitbridge is already running (launcher pid " + ProcessHandleFile.read(paths.launcherPid())
                    + "): use it, or run ./bitbridge down first");
        }
        Map<Integer, String> ports = new LinkedHashMap<>();
        if (options.kafkaBootstrap().isEmpty()) {
            ports.put(KAFKA_PORT, "Kafka");
        }
        specs.forEach(s -> ports.put(options.port(s), s.name()));
        if (options.sandboxFakes()) {
            Sandbox.PORTS.forEach(ports::put);
        }
        for (var port : ports.entrySet()) {
            if (FreePort.inUse(port.getKey())) {
                throw new LaunchException("port " + port.getKey() + " (" + port.getValue() + ") is taken: stop what listens there "
                        + "(ss -ltnp 'sport = :" + port.getKey() + "') and run ./bitbridge up again");
            }
        }
        for (ServiceSpec spec : specs) {
            if (!Files.exists(spec.runnableJar(paths.projectRoot()))) {
                throw new LaunchException(spec.name() + " is not built (" + spec.runnableJar(paths.projectRoot())
                        + " is missing): run ./mvnw -B package -DskipTests, or ./bitbridge up which builds when needed");
            }
        }
    }

    public void start() throws IOException, InterruptedException {
        start(List.of());
    }

    /**
     * As {@link #start()}, with one more instance of each service named (a scale-out), started beside the first ones
     * (see {@link #addInstance}).
     */
    public void start(List<String> moreInstances) throws IOException, InterruptedException {
        long self = ProcessHandle.current().pid();
        Files.createDirectories(paths.logs());
        ProcessHandleFile.write(paths.launcherPid(), self);
        LocalKeys.ensure(paths);

        postgres = options.postgres().orElseGet(() -> PostgresServer.locate(new SharedState(paths.state()), self));
        postgres.ensureDatabase(options.database());
        out.println("PostgreSQL: " + postgres.host() + ":" + postgres.port() + (postgres.embedded() ? " (embedded)" : "")
                + ", database " + options.database());
        if (options.kafkaBootstrap().isPresent()) {
            kafkaBootstrap = options.kafkaBootstrap().get();
        } else {
            out.println("starting Kafka on 127.0.0.1:" + KAFKA_PORT + " ...");
            kafka = KafkaBroker.start(paths.kafkaData(), KAFKA_PORT, self);
            kafkaBootstrap = kafka.bootstrapServers();
            recordChild(kafka.pid());
        }
        // Before any service: a consumer whose topic does not exist yet is assigned it only at a later metadata refresh
        // and, starting at the latest offset, would skip the first pushes of a new installation.
        String suffix = options.properties().getOrDefault("bitbridge.topic-suffix", "");
        KafkaTopics.create(kafkaBootstrap, Arrays.stream(EventType.values()).map(type -> type.topic() + suffix).toList(),
                Optional.empty());

        if (options.sandboxFakes()) {
            fakes.addAll(io.bitbridge.fakes.SandboxFakes.startAll());
        }
        // The services' issuer: the client-credentials grant on a loopback port, signing with the key only this JVM reads.
        tokenEndpoint = ClientCredentialsEndpoint.start(LocalKeys.minter(paths), SERVICE_TOKEN_LIFETIME, 0);
        out.println("token endpoint for the services: " + tokenEndpoint.baseUrl() + ClientCredentialsEndpoint.TOKEN_PATH);
        Map<String, String> environment = new LinkedHashMap<>(options.settings().environment());
        environment.put("BITBRIDGE_CREDENTIAL_SERVICE_URL", url(ServiceLaunch.CREDENTIAL_SERVICE));
        // where Bitbucket sends the browser back after consent: credential-service itself (it serves /oauth/**)
        environment.put(OAuthCallback.VARIABLE, OAuthCallback.publicUrl(System.getenv()));
        writeOwnerOnly(buildTriggerConfig(), options.settings().buildTriggerConfig());
        launch = new ServiceLaunch(Path.of(System.getProperty("java.home"), "bin", "java"), self,
                ServiceLaunch.httpHost(System.getenv()), kafkaBootstrap,
                "//" + postgres.host() + ":" + postgres.port() + "/" + options.database(), postgres.user(), postgres.password(),
                paths.publicKey(), tokenEndpoint.baseUrl().toString(), LocalKeys.cryptoKey(paths), environment,
                buildTriggerConfig(), options.properties());
        for (ServiceSpec spec : specs) {
            launch(spec, 1, options.port(spec));
        }
        for (String service : moreInstances) {
            addInstance(service);
        }
        awaitHealthy();
    }

    /**
     * Starts one more instance of a running service: the same configuration, client identity and consumer groups, its
     * own free HTTP port and log; {@link #awaitHealthy} waits for it.
     */
    public Instance addInstance(String service) throws IOException {
        ServiceSpec spec = ServiceSpec.named(service);
        int number = instances(service).stream().mapToInt(Instance::number).max()
                .orElseThrow(() -> new IllegalStateException(service + " is not running")) + 1;
        // A port handed to an instance that is still starting is free until it binds it: never hand it out twice.
        int port = FreePort.find();
        while (portTaken(port)) {
            port = FreePort.find();
        }
        return launch(spec, number, port);
    }

    private boolean portTaken(int port) {
        return instances.stream().anyMatch(i -> i.port() == port);
    }

    /** The running instances of the service, first started first. */
    public List<Instance> instances(String service) {
        return instances.stream().filter(i -> i.spec().name().equals(service)).toList();
    }

    /**
     * Kills the instance as a crash does ({@link Process#destroyForcibly}: SIGKILL on Linux, so no shutdown hook, no
     * offset commit, no flush) and waits for its end; its exit code (137 = 128 + SIGKILL).
     */
    public int kill(Instance instance) throws InterruptedException {
        if (!instances.remove(instance)) {
            throw new IllegalArgumentException(instance.name() + " is not running");
        }
        return instance.process().destroyForcibly().waitFor();
    }

    /** The service's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url(String service) {
        return options.url(ServiceSpec.named(service));
    }

    /** The process id of each running instance, by its name: the same ids after an outage mean nothing was restarted. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        instances.forEach(instance -> pids.put(instance.name(), instance.process().pid()));
        return pids;
    }

    /** A token signed with this stack's key pair, for its APIs. */
    public String token(String role) {
        return LocalKeys.minter(paths).mint("stack-" + role, java.util.Set.of(role), Duration.ofHours(1));
    }

    private Instance launch(ServiceSpec spec, int number, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(launch.withProperties(options.serviceProperties().getOrDefault(spec.name(), Map.of()))
                .command(spec, port, spec.runnableJar(paths.projectRoot())));
        // A fresh client secret per service and run, known to the token endpoint and to that service only.
        String secret = clientSecrets.computeIfAbsent(spec, s -> tokenEndpoint.register(s.name(), ServiceScopes.of(s.name())));
        launch.applyTo(builder.environment(), spec, secret);
        Process process = builder
                .directory(paths.projectRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(paths.logs().resolve(Instance.name(spec, number) + ".log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Instance instance = new Instance(spec, number, port, process);
        instances.add(instance);
        recordChild(process.pid());
        return instance;
    }

    private Path buildTriggerConfig() {
        return paths.config().resolve("build-trigger.properties");
    }

    private static void writeOwnerOnly(Path file, java.util.Properties properties) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (var writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "written by the launcher on every start");
        }
    }

    /** Waits until every service instance answers ready (after a start, or after an outage of what they depend on). */
    public void awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        List<Instance> waiting = new ArrayList<>(instances);
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                Instance instance = it.next();
                Process process = instance.process();
                if (!process.isAlive()) {
                    throw exited(instance);
                }
                if (ready(http, instance.url())) {
                    out.println("  " + instance.name() + " healthy at " + instance.url());
                    it.remove();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException("not healthy after " + HEALTH_TIMEOUT.toMinutes() + " minutes: "
                        + waiting.stream().map(Instance::name).collect(Collectors.joining(", ")) + " (logs in " + paths.logs() + ")");
            }
            Thread.sleep(500);
        }
        // Ready was maybe answered by another process on the port, while this one exited (its port was taken).
        for (Instance instance : instances) {
            if (!instance.process().isAlive()) {
                throw exited(instance);
            }
        }
    }

    private LaunchException exited(Instance instance) {
        return new LaunchException(instance.name() + " exited with code " + instance.process().exitValue() + " while starting: see "
                + paths.logs().resolve(instance.name() + ".log"));
    }

    private static boolean ready(HttpClient http, String url) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops services first (they flush to Kafka and PostgreSQL), then the Kafka broker and embedded PostgreSQL this
     * stack started (never ones it was given).
     */
    public void stop() {
        instances.forEach(i -> i.process().destroy());
        instances.forEach(i -> Processes.awaitExit(i.process().toHandle(), 20));
        if (tokenEndpoint != null) {
            tokenEndpoint.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null && options.postgres().isEmpty()) {
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
}
