package io.bitbridge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.common.auth.Roles;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./bitbridge demo}: one tagged commit through a running {@code ./bitbridge up --sandbox}, printed step by step
 * with the URL that shows each step.
 */
public final class Demo {
    public static final String REPOSITORY = "acme/game";
    public static final String TASK = "GAME-123";
    public static final String MESSAGE = TASK + ": Add textures #jenkins:GameBuild";
    public static final String CREDENTIAL = "sandbox-acme";

    private Demo() {
    }

    static int run(StackPaths paths, PrintStream out) {
        if (!ProcessHandleFile.alive(paths.launcherPid())) {
            throw new LaunchException("Bitbridge is not running: start it with ./bitbridge up --sandbox, then run ./bitbridge demo");
        }
        String token = LocalKeys.minter(paths).mint("demo", Set.of(Roles.ADMIN), Duration.ofMinutes(30));
        SandboxFlow flow = new SandboxFlow(SandboxFlow.Endpoints.of(
                name -> ServiceSpec.named(name).url(),
                Sandbox.CLOUD, Sandbox.JENKINS), token, Duration.ofSeconds(60));
        requireSandbox(flow);
        walk(flow, out);
        out.println("The APIs above need a token: TOKEN=$(./bitbridge token --role viewer); curl -H \"Authorization: Bearer $TOKEN\" URL");
        return 0;
    }

    private static void requireSandbox(SandboxFlow flow) {
        if (!flow.cloudFakeAnswers()) {
            throw new LaunchException("no Bitbucket Cloud fake answers on " + Sandbox.CLOUD
                    + ": the demo needs the sandbox (./bitbridge down, then ./bitbridge up --sandbox)");
        }
    }

    /** The steps, each printed once it happened; the commit it made. */
    public static String walk(SandboxFlow flow, PrintStream out) {
        SandboxFlow.Endpoints at = flow.endpoints();
        String credential = flow.cloudCredential(CREDENTIAL);
        step(out, 1, "credential-service", "API-token credential '" + CREDENTIAL + "' is " + credential,
                at.credentials() + "/api/credentials/" + credential);
        String outcome = flow.registerWebhook(credential, REPOSITORY);
        step(out, 2, "credential-service", "webhook on " + REPOSITORY + ": " + outcome + " (signed with its own secret)",
                at.cloud() + "/_sandbox/hooks");
        String file = "textures/" + Instant.now().toEpochMilli() + ".txt";
        String commit = flow.commit(REPOSITORY, "main", MESSAGE, file, "a texture\n");
        step(out, 3, "Bitbucket Cloud fake", "commit " + commit.substring(0, 12) + " \"" + MESSAGE + "\" on " + REPOSITORY + " main",
                at.cloud() + "/2.0/repositories/" + REPOSITORY + "/commit/" + commit);
        List<JsonNode> attempts = flow.deliveriesOf(commit);
        JsonNode delivery = attempts.get(attempts.size() - 1);
        String requestUuid = delivery.path("headers").path("X-Request-UUID").asText();
        step(out, 4, "Bitbucket Cloud fake", "repo:push delivered to the gateway, answers " + attempts.stream()
                .map(a -> String.valueOf(a.path("status").asInt())).collect(Collectors.joining(", "))
                + " (delivery " + requestUuid + ")", at.cloud() + "/_sandbox/deliveries");
        JsonNode verdict = flow.gatewayVerdict(credential, requestUuid);
        step(out, 5, "webhook-gateway", "signature verified, verdict " + verdict.path("verdict").asText()
                        + ": the push is on Kafka topic bitbucket.push.v1 (acknowledged before the answer, " + verdict.path("latencyMs").asLong() + " ms)",
                at.gateway() + "/api/credentials/" + credential + "/deliveries");
        List<JsonNode> decisions = flow.triggerDecisions(commit, list -> !list.isEmpty()
                && !"calling".equals(list.get(0).path("state").asText()));
        JsonNode decision = decisions.get(0);
        step(out, 6, "build-trigger", "read bitbucket.push.expanded.v1 (scraper-service completed the push), tag "
                        + decision.path("tag").asText() + " -> job " + decision.path("job").asText() + ", state " + decision.path("state").asText(),
                at.buildTrigger() + "/api/triggers?commit=" + commit);
        List<JsonNode> triggers = flow.jenkinsTriggers(commit);
        step(out, 7, "Jenkins fake", triggers.size() + " build request(s): " + triggers.stream()
                        .map(t -> t.path("endpoint").asText() + " " + t.path("job").asText() + " " + t.path("parameters"))
                        .collect(Collectors.joining("; ")),
                at.jenkins() + "/_sandbox/triggers");
        JsonNode link = flow.taskLinks(TASK, commit).get(0);
        step(out, 8, "commit-tracker", TASK + " linked to " + link.path("repository").asText(link.path("repositoryKey").asText())
                + " " + commit.substring(0, 12) + " (task link stored, published on tasks.links.v1)", at.tracker() + "/api/tasks/" + TASK);
        List<String> states = flow.buildStates(REPOSITORY, commit);
        step(out, 9, "build-trigger", "build status on the commit: " + String.join(" -> ", states),
                at.cloud() + "/2.0/repositories/" + REPOSITORY + "/commit/" + commit + "/statuses");
        return commit;
    }

    private static void step(PrintStream out, int number, String who, String what, String url) {
        out.printf("%d. %-22s %s%n   %s%n", number, who, what, url);
    }
}
