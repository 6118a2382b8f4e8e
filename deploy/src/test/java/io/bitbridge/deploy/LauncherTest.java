package io.bitbridge.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LauncherTest {
    private static final Path SCRIPT = Path.of("..", "bitbridge");
    private static final Path COMMAND_LINE_SOURCE = Path.of("src/main/java/io/bitbridge/deploy/CommandLine.java");

    @ParameterizedTest
    @ValueSource(strings = {"", "up", "up --sandbox", "down", "token", "token --role admin", "status", "oauth",
            "oauth --name acme", "demo"})
    void everyCommandAnswersHelpWithItsUsageAndStartsNothing(String command, @TempDir Path root) {
        for (String help : List.of("--help", "-h")) {
            String[] args = (command + " " + help).trim().split(" ");
            Outcome outcome = execute(root, args);

            assertEquals(0, outcome.code(), outcome.err());
            String expected = command.isEmpty() ? "usage: ./bitbridge COMMAND" : "usage: ./bitbridge " + command.split(" ")[0];
            assertTrue(outcome.out().startsWith(expected), outcome.out());
            assertEquals(CommandLine.parse(args).usage(), outcome.out(), "the usage and nothing else");
            assertEquals("", outcome.err());
            assertTrue(root.toFile().list().length == 0, "help wrote nothing: no pid file, logs or key pair");
        }
    }

    @Test
    void theOverviewNamesEveryCommand(@TempDir Path root) {
        String overview = execute(root).out();
        for (CommandLine.Command command : CommandLine.Command.values()) {
            if (command != CommandLine.Command.HELP) {
                assertTrue(overview.contains("\n  " + command.word() + " "), overview);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "--frobnicate", "up --frobnicate", "up now", "down --sandbox", "status x",
            "token", "token --role", "token --role admin --role viewer", "up --sandbox=yes",
            "token --role admin --ttl 400d", "token --role viewer --ttl 721h", "token --role admin --ttl 43201m",
            "token --role admin --ttl 99999999999999999999d", "token --role service",
            "oauth", "oauth --name", "oauth --name acme --reconnect 5f0c", "oauth --name acme --allow-account-change"})
    void aMistakeInTheArgumentsIsOneLinePointingToHelpWithExitCode2(String command, @TempDir Path root) {
        Outcome outcome = execute(root, command.split(" "));

        assertEquals(2, outcome.code());
        assertEquals("", outcome.out());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().matches("bitbridge: .+; see \\./bitbridge ([a-z]+ )?--help\\R"), outcome.err());
        assertTrue(root.toFile().list().length == 0, "nothing was started");
    }

    @Test
    void theCommandLineSourceRunsWithTheJdkAloneAsTheScriptRunsItBeforeABuild() throws Exception {
        Process help = run(List.of(java(), COMMAND_LINE_SOURCE.toString(), "up", "--help"), Path.of("."));
        assertEquals(0, help.exitValue());
        assertEquals(CommandLine.parse("up", "--help").usage(), new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        assertEquals(CommandLine.PROCEED, run(List.of(java(), COMMAND_LINE_SOURCE.toString(), "up", "--sandbox"), Path.of(".")).exitValue());
        assertEquals(CommandLine.USAGE_ERROR, run(List.of(java(), COMMAND_LINE_SOURCE.toString(), "frobnicate"), Path.of(".")).exitValue());
    }

    @Test
    void theScriptAnswersHelpAndMistakesWithoutBuilding(@TempDir Path checkout) throws Exception {
        // A checkout that was never built and has no Maven wrapper: a build attempt would fail loudly.
        Files.copy(SCRIPT, checkout.resolve("bitbridge"));
        Path source = checkout.resolve("deploy").resolve(COMMAND_LINE_SOURCE);
        Files.createDirectories(source.getParent());
        Files.copy(COMMAND_LINE_SOURCE, source);

        Process help = run(List.of("bash", "bitbridge", "up", "--help"), checkout);
        assertEquals(0, help.exitValue(), new String(help.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(CommandLine.parse("up", "--help").usage(), new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        Process typo = run(List.of("bash", "bitbridge", "frobnicate"), checkout);
        assertEquals(2, typo.exitValue());
        assertEquals("bitbridge: unknown command 'frobnicate'; see ./bitbridge --help",
                new String(typo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        assertFalse(Files.exists(checkout.resolve(".build.log")), "no build was started");
        assertFalse(Files.exists(checkout.resolve("deploy/target")), "no build was started");
    }

    @Test
    void tokenCommandGeneratesTheKeyPairOnceAndPrintsASignedTokenForTheRole(@TempDir Path root) throws Exception {
        StackPaths paths = new StackPaths(root);
        String first = runToken(paths, "admin");
        byte[] key = Files.readAllBytes(paths.privateKey());
        String second = runToken(paths, "viewer");

        String claims = new String(Base64.getUrlDecoder().decode(first.split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"groups\":[\"admin\"]"), claims);
        assertTrue(claims.contains("\"iss\":\"https://bitbridge.local\""), claims);
        assertTrue(claims.contains("\"aud\":\"bitbridge\""), claims);
        assertTrue(new String(Base64.getUrlDecoder().decode(second.split("\\.")[1]), StandardCharsets.UTF_8).contains("viewer"));
        assertEquals(new String(key), Files.readString(paths.privateKey()), "the key pair is made once");
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(paths.privateKey()));
    }

    @Test
    void unknownRoleAndBadTtlAreOneLineMessages(@TempDir Path root) {
        StackPaths paths = new StackPaths(root);
        LaunchException role = assertThrows(LaunchException.class,
                () -> Launcher.run(new String[]{"token", "--role", "root"}, paths, new PrintStream(new ByteArrayOutputStream())));
        assertEquals("say which role: ./bitbridge token --role admin|viewer|service", role.getMessage());
        LaunchException ttl = assertThrows(LaunchException.class, () -> Launcher.parseTtl("forever"));
        assertFalse(ttl.getMessage().contains("\n"));
        assertEquals(Duration.ofHours(8), Launcher.parseTtl("8h"));
        assertEquals(Duration.ofDays(30), Launcher.parseTtl("30d"), "the cap itself is allowed");
        CommandLine.UsageException long_ = assertThrows(CommandLine.UsageException.class, () -> Launcher.parseTtl("400d"));
        assertEquals("--ttl is at most 30d, not '400d': ask for a new token when it runs out; see ./bitbridge token --help",
                long_.getMessage());
    }

    @Test
    void aServiceTokenNeedsItsOwnFlag(@TempDir Path root) throws Exception {
        StackPaths paths = new StackPaths(root);
        Outcome refused = execute(root, "token", "--role", "service");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("add --allow-service if you mean it"), refused.err());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Launcher.run(new String[]{"token", "--role", "service", "--allow-service"}, paths,
                new PrintStream(out, true, StandardCharsets.UTF_8)));
        String claims = new String(Base64.getUrlDecoder().decode(out.toString(StandardCharsets.UTF_8).strip().split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"groups\":[\"service\"]"), "the service role and no scope: " + claims);
    }

    @Test
    void servicesListenOnLoopbackAndGetTheirSecretsThroughTheEnvironmentNotTheCommandLine() {
        ServiceLaunch launch = new ServiceLaunch(Path.of("java"), 42, ServiceLaunch.httpHost(java.util.Map.of()), "127.0.0.1:9092",
                "//127.0.0.1:5432/bitbridge", "postgres", "pg-password-1", Path.of("jwt-public.pem"), "http://127.0.0.1:40001",
                "crypto-key-1", java.util.Map.of(), Path.of("build-trigger.properties"), java.util.Map.of());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            List<String> command = launch.command(spec, spec.port(), Path.of("app.jar"));
            assertTrue(command.contains("-Dquarkus.http.host=127.0.0.1"), command.toString());
            assertTrue(command.contains("-Dbitbridge.auth.oidc-client.client-id=" + spec.name()), command.toString());
            String line = String.join(" ", command);
            for (String secret : List.of("pg-password-1", "client-secret-1", "crypto-key-1", "private")) {
                assertFalse(line.contains(secret), secret + " on the command line: " + line);
            }
            java.util.Map<String, String> environment = new java.util.HashMap<>(java.util.Map.of("BITBRIDGE_CRYPTO_KEY", "inherited"));
            launch.applyTo(environment, spec, "client-secret-1");
            assertEquals("pg-password-1", environment.get("BITBRIDGE_DB_PASSWORD"));
            assertEquals("client-secret-1", environment.get("BITBRIDGE_AUTH_OIDC_CLIENT_SECRET"));
            assertEquals(spec.name().equals("credential-service") ? "crypto-key-1" : null, environment.get("BITBRIDGE_CRYPTO_KEY"),
                    "the crypto key is credential-service's alone: " + spec.name());
        }
        assertEquals("0.0.0.0", ServiceLaunch.httpHost(java.util.Map.of("BITBRIDGE_HTTP_HOST", "0.0.0.0")), "unless told otherwise");
    }

    @Test
    void privateKeyFilesAreMadeOwnerOnlyAgainWhenSomethingWidenedThem(@TempDir Path root) throws Exception {
        StackPaths paths = new StackPaths(root);
        LocalKeys.ensure(paths);
        Files.setPosixFilePermissions(paths.privateKey(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(paths.cryptoKey(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(paths.keys(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        LocalKeys.ensure(paths);

        var ownerOnly = java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertEquals(ownerOnly, Files.getPosixFilePermissions(paths.privateKey()));
        assertEquals(ownerOnly, Files.getPosixFilePermissions(paths.cryptoKey()));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(paths.keys()));
    }

    /** The callback the launcher gives credential-service (and prints) reaches the service that serves /oauth/. */
    @Test
    void theOAuthCallbackIsAtTheServiceThatServesIt() throws Exception {
        // the one service whose resources declare /oauth/...: credential-service (the gateway has no such route)
        List<ServiceSpec> serving = ServiceSpec.ALL.stream()
                .filter(spec -> ServiceSources.of(spec.name()).ownSources().stream().anyMatch(source -> source.toString().contains("@Path(\"/oauth/")))
                .toList();
        assertEquals(1, serving.size(), serving.toString());
        assertEquals("http://localhost:" + serving.get(0).port() + "/oauth/bitbucket-cloud/callback", OAuthCallback.url(java.util.Map.of()));
        assertEquals("https://bitbridge.example.com/oauth/bitbucket-cloud/callback",
                OAuthCallback.url(java.util.Map.of(OAuthCallback.VARIABLE, "https://bitbridge.example.com/")), "an operator's own public URL wins");
        // the sandbox's OAuth consumer accepts redirects under its registered callback, http://localhost
        assertTrue(OAuthCallback.url(java.util.Map.of()).startsWith("http://localhost"));
    }

    @Test
    void aTakenPortStopsTheStartBeforeAnythingRuns(@TempDir Path root) throws Exception {
        StackPaths paths = new StackPaths(root);
        ServerSocket taken;
        try {
            taken = new ServerSocket(ServiceSpec.ALL.get(1).port(), 1, InetAddress.getLoopbackAddress());
        } catch (java.io.IOException alreadyInUse) {
            taken = null; // something else holds it: the preflight must still refuse
        }
        try {
            Stack stack = new Stack(paths, new PrintStream(new ByteArrayOutputStream()),
                    StackOptions.local(Sandbox.settings(Sandbox.CLOUD, Sandbox.JENKINS, ServiceSpec.named("webhook-gateway").url()), false));
            LaunchException e = assertThrows(LaunchException.class, stack::preflight);
            assertTrue(e.getMessage().matches("port \\d+ \\(.+\\) is taken: stop what listens there .*"), e.getMessage());
            assertFalse(Files.exists(paths.launcherPid()), "nothing was started");
        } finally {
            if (taken != null) {
                taken.close();
            }
        }
    }

    @Test
    void upWithoutTheSandboxNamesEveryMissingSettingOnItsOwnLineAndStartsNothing(@TempDir Path root) {
        Outcome outcome = execute(root, "up");

        assertEquals(1, outcome.code());
        List<String> lines = outcome.err().lines().toList();
        for (String setting : List.of("BITBRIDGE_PUBLIC_BASE_URL", "BITBRIDGE_JENKINS_URL", "BITBRIDGE_JENKINS_USER",
                "BITBRIDGE_JENKINS_TOKEN", "BITBRIDGE_JENKINS_DEFAULT_JOB")) {
            assertEquals(1, lines.stream().filter(l -> l.startsWith("bitbridge: missing " + setting + ": ")).count(), outcome.err());
        }
        assertTrue(lines.stream().allMatch(l -> l.startsWith("bitbridge: ")), outcome.err());
        assertEquals(0, root.toFile().list().length, "nothing started or written");
    }

    @Test
    void demoWithoutARunningStackSaysHowToStartOne(@TempDir Path root) {
        Outcome outcome = execute(root, "demo");
        assertEquals(1, outcome.code());
        assertEquals("bitbridge: Bitbridge is not running: start it with ./bitbridge up --sandbox, then run ./bitbridge demo",
                outcome.err().strip());
    }

    @Test
    void oauthWithoutARunningStackSaysHowToStartOne(@TempDir Path root) {
        Outcome outcome = execute(root, "oauth", "--name", "acme-oauth");
        assertEquals(1, outcome.code());
        assertEquals("bitbridge: Bitbridge is not running: start it with ./bitbridge up (or up --sandbox), then run ./bitbridge oauth",
                outcome.err().strip());
        assertEquals(0, root.toFile().list().length, "nothing started or written");
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome execute(Path root, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Launcher.execute(args, new StackPaths(root), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command to its end with the test's JDK first on the PATH; output stays readable afterwards. */
    private static Process run(List<String> command, Path directory) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile());
        Path jdk = Path.of(System.getProperty("java.home"));
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("PATH", jdk.resolve("bin") + java.io.File.pathSeparator + System.getenv("PATH"));
        Process process = builder.start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished: " + command);
        return process;
    }

    private static String runToken(StackPaths paths, String role) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Launcher.run(new String[]{"token", "--role", role}, paths, new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
