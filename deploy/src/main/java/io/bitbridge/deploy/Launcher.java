package io.bitbridge.deploy;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.infra.InfraException;
import io.bitbridge.infra.process.Processes;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./bitbridge up | down | token --role R [--ttl 8h] | status | oauth | demo} (see {@link CommandLine}). Every failure a
 * person can fix is one line on stderr saying what is wrong and what to do, never a stack trace: exit code 2 for
 * a mistake in the arguments, 1 for anything else.
 */
public final class Launcher {
    private static final List<String> ROLES = List.of(Roles.ADMIN, Roles.VIEWER, Roles.SERVICE);
    /** The longest a token of ./bitbridge token lives: a forgotten one stops working within a month. */
    static final Duration MAX_TTL = Duration.ofDays(30);
    static final String ALLOW_SERVICE = "--allow-service";

    private Launcher() {
    }

    public static void main(String[] args) {
        StackPaths paths = new StackPaths(Path.of(System.getProperty("bitbridge.home", ".")).toAbsolutePath().normalize());
        System.exit(execute(args, paths, System.out, System.err));
    }

    /** Runs the command and turns every failure into its one line on {@code err} and the exit code. */
    static int execute(String[] args, StackPaths paths, PrintStream out, PrintStream err) {
        try {
            return run(args, paths, out);
        } catch (CommandLine.UsageException e) {
            err.println("bitbridge: " + e.getMessage());
            return CommandLine.USAGE_ERROR;
        } catch (LaunchException | InfraException e) {
            err.println("bitbridge: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("bitbridge: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (logs in " + paths.logs() + ")");
            return 1;
        }
    }

    static int run(String[] args, StackPaths paths, PrintStream out) throws Exception {
        CommandLine line = CommandLine.parse(args);
        if (line.help()) {
            out.print(line.usage());
            return 0;
        }
        return switch (line.command()) {
            case UP -> up(paths, out, line.flag("--sandbox"));
            case DOWN -> down(paths, out);
            case TOKEN -> token(line, paths, out);
            case STATUS -> status(paths, out);
            case OAUTH -> oauth(line, paths, out);
            case DEMO -> Demo.run(paths, out);
            case HELP -> throw new IllegalStateException("CommandLine.parse marks the help command as help");
        };
    }

    private static int up(StackPaths paths, PrintStream out, boolean sandbox) throws Exception {
        LocalSettings settings = sandbox
                ? Sandbox.settings(Sandbox.CLOUD, Sandbox.JENKINS, ServiceSpec.named("webhook-gateway").url())
                : LocalSettings.read(System.getenv(), paths.projectRoot().resolve(LocalSettings.FILE));
        Stack stack = new Stack(paths, out, StackOptions.local(settings, sandbox));
        stack.preflight();
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (up.get()) {
                out.println("stopping Bitbridge ...");
            }
            stack.stop();
            if (up.get()) {
                out.println("stopped.");
            }
            stopped.countDown();
        }, "bitbridge-stop"));
        long started = System.nanoTime();
        stack.start();
        up.set(true);
        out.printf("Bitbridge is up in %d s. Services:%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            out.printf("  %-19s %s  (health %s/q/health, API docs %s/q/openapi)%n", spec.name(), spec.url(), spec.url(), spec.url());
        }
        out.println("Kafka: 127.0.0.1:" + Stack.KAFKA_PORT + "   logs: " + paths.logs());
        out.println("OAuth callback (the Bitbucket OAuth consumer's callback URL): " + OAuthCallback.url(System.getenv()));
        if (sandbox) {
            out.println(Sandbox.facts());
        }
        out.println("A token for the APIs: ./bitbridge token --role admin   (then: curl -H \"Authorization: Bearer $TOKEN\" ...)");
        out.println("Ctrl-C here, or ./bitbridge down from another terminal, stops everything.");
        stopped.await();
        return 0;
    }

    private static int down(StackPaths paths, PrintStream out) {
        List<Long> launcher = ProcessHandleFile.pids(paths.launcherPid());
        launcher.stream().findFirst().flatMap(ProcessHandleFile::live).ifPresentOrElse(handle -> {
            out.println("stopping launcher " + handle.pid() + " ...");
            Processes.stop(handle, 90);
        }, () -> out.println("no launcher running"));
        // Children of a launcher that was killed hard stop by themselves; this is the belt to those braces.
        for (long pid : ProcessHandleFile.pids(paths.childPids())) {
            ProcessHandleFile.live(pid).ifPresent(child -> {
                out.println("stopping left-over process " + pid);
                Processes.stop(child, 20);
            });
        }
        try {
            Files.deleteIfExists(paths.childPids());
            Files.deleteIfExists(paths.launcherPid());
        } catch (java.io.IOException e) {
            out.println("could not clean " + paths.home() + ": " + e.getMessage());
        }
        out.println("down.");
        return 0;
    }

    private static int token(CommandLine line, StackPaths paths, PrintStream out) throws Exception {
        String role = line.value("--role");
        if (!ROLES.contains(role)) {
            throw new LaunchException("say which role: ./bitbridge token --role admin|viewer|service");
        }
        if (role.equals(Roles.SERVICE) && !line.flag(ALLOW_SERVICE)) {
            throw new CommandLine.UsageException("a service token acts as a Bitbridge service (each service gets its own "
                    + "from the token endpoint); add " + ALLOW_SERVICE + " if you mean it; see ./bitbridge token --help");
        }
        Duration ttl = parseTtl(line.value("--ttl"));
        LocalKeys.ensure(paths);
        out.println(LocalKeys.minter(paths).mint(System.getProperty("user.name", "local") + "-" + role, Set.of(role), ttl));
        return 0;
    }

    /** A consent link from the running credential-service, asked for with a short-lived admin token. */
    private static int oauth(CommandLine line, StackPaths paths, PrintStream out) {
        if (!ProcessHandleFile.alive(paths.launcherPid())) {
            throw new LaunchException("Bitbridge is not running: start it with ./bitbridge up (or up --sandbox), then run ./bitbridge oauth");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        if (line.value("--name") != null) {
            request.put("name", line.value("--name"));
        } else {
            request.put("credentialId", line.value("--reconnect"));
            request.put("allowAccountChange", line.flag(CommandLine.ALLOW_ACCOUNT_CHANGE));
        }
        String token = LocalKeys.minter(paths).mint(System.getProperty("user.name", "local") + "-oauth", Set.of(Roles.ADMIN), Duration.ofMinutes(5));
        com.fasterxml.jackson.databind.JsonNode link;
        try {
            link = new SandboxFlow(SandboxFlow.Endpoints.of(name -> ServiceSpec.named(name).url(), Sandbox.CLOUD, Sandbox.JENKINS),
                    token, Duration.ofSeconds(20)).oauthConsent(request);
        } catch (IllegalStateException e) {
            throw new LaunchException("credential-service refused the consent link: " + e.getMessage());
        }
        out.println("Open this link in a browser before " + link.path("expiresAt").asText() + " (it works once) and grant access on Bitbucket:");
        out.println(link.path("consentUrl").asText());
        return 0;
    }

    private static int status(StackPaths paths, PrintStream out) {
        if (!ProcessHandleFile.alive(paths.launcherPid())) {
            out.println("Bitbridge is not running");
            return 3;
        }
        out.println("Bitbridge is running (launcher pid " + ProcessHandleFile.read(paths.launcherPid()) + ")");
        return 0;
    }

    static Duration parseTtl(String text) {
        if (!text.matches("\\d+[mhd]")) {
            throw new LaunchException("--ttl takes a number and m, h or d (e.g. 30m, 8h, 7d), not '" + text + "'");
        }
        String amount = text.substring(0, text.length() - 1);
        // Past 30 days in any unit (and past what a long holds): refused, never wrapped around.
        long value = amount.length() > 9 ? Long.MAX_VALUE : Long.parseLong(amount);
        Duration ttl = switch (text.charAt(text.length() - 1)) {
            case 'm' -> value > MAX_TTL.toMinutes() ? null : Duration.ofMinutes(value);
            case 'h' -> value > MAX_TTL.toHours() ? null : Duration.ofHours(value);
            default -> value > MAX_TTL.toDays() ? null : Duration.ofDays(value);
        };
        if (ttl == null) {
            throw new CommandLine.UsageException("--ttl is at most " + MAX_TTL.toDays() + "d, not '" + text
                    + "': ask for a new token when it runs out; see ./bitbridge token --help");
        }
        if (ttl.isZero()) {
            throw new LaunchException("--ttl must be longer than nothing, not '" + text + "'");
        }
        return ttl;
    }
}
