package io.bitbridge.deploy;

import io.bitbridge.bitbucket.webhook.WebhookSignature;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.infra.process.FreePort;
import io.bitbridge.testkit.SharedTestInfra;
import io.bitbridge.testkit.TcpRelay;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook secret rotation loses no delivery: credential-service and webhook-gateway run from their built jars, started
 * by the launcher's {@link Stack} as {@code ./bitbridge up} starts them, against the build's Kafka (a topic suffix of
 * their own) and PostgreSQL (a database of their own) and the Bitbucket Server fake, which holds Bitbridge's hook and
 * signs every delivery with the secret the hook has at that moment. Every 50 ms a push is made on the fake (delivered by
 * its queue), and a delivery is sent straight to the gateway twice: signed with the secret the hook holds at that moment,
 * and with the hook's secret from before the rotation (a delivery in flight, or a hook not updated yet). The secret is
 * rotated meanwhile, and not one of them may be refused. Service logs go to {@code target/rotation-stack/logs}.
 */
class WebhookSecretRotationTest {
    private static final Duration STEP = Duration.ofMillis(50);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<ServiceSpec> SERVICES = List.of(ServiceSpec.named("credential-service"), ServiceSpec.named("webhook-gateway"));
    private static BitbucketServerFake server;
    private static TcpRelay link;
    private static Stack stack;
    private static String database;

    @BeforeAll
    static void start() throws Exception {
        SharedTestInfra infra = SharedTestInfra.get();
        server = BitbucketServerFake.sandbox(0);
        Map<String, Integer> ports = StackOptions.ports(spec -> FreePort.find());
        // Each call of the gateway to credential-service takes a second (a slow link between them), so the gateway knows
        // of a change at least a second after it is announced; the rotation waits longer than that (5 s) before the first
        // hook gets the next secret. A rotation that updated the hooks first would meet a gateway that refuses them.
        link = TcpRelay.slowing(ports.get("credential-service"), Duration.ofSeconds(1));
        String isolation = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        database = "rotation_" + isolation;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bitbridge.topic-suffix", "." + isolation);
        properties.put("bitbridge.credentials.webhook-secret-propagation", "PT5S");
        properties.put("quarkus.rest-client.credential-service.url", "http://127.0.0.1:" + link.port());
        String gateway = "http://127.0.0.1:" + ports.get("webhook-gateway");
        // Sandbox settings: hooks point at this gateway, and the services may call the fake on loopback over plain http.
        StackOptions options = new StackOptions(Sandbox.settings(Sandbox.CLOUD, Sandbox.JENKINS, gateway), false,
                Optional.of(infra.kafkaBootstrapServers()), Optional.of(infra.postgres()), database, ports, properties);
        Path home = Path.of("target", "rotation-stack").toAbsolutePath();
        Files.createDirectories(home);
        stack = new Stack(new StackPaths(Path.of("..").toAbsolutePath().normalize(), home),
                new PrintStream(Files.newOutputStream(home.resolve("stack.out")), true), options, SERVICES);
        stack.preflight();
        stack.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.stop();
        }
        if (database != null) {
            SharedTestInfra.get().postgres().dropDatabase(database);
        }
        if (server != null) {
            server.close();
        }
        if (link != null) {
            link.close();
        }
    }

    @Test
    void deliveriesSignedWithEitherSecretThroughARotationAreAllAccepted() throws Exception {
        String credentialId = admin("POST", "credential-service", "/api/credentials", """
                {"kind":"BITBUCKET_SERVER_TOKEN","name":"rotation-%s","baseUrl":"%s","username":"sandbox","token":"%s"}"""
                .formatted(UUID.randomUUID(), server.baseUrl(), BitbucketServerFake.SANDBOX_TOKEN), 201).path("id");
        admin("PUT", "credential-service", "/api/credentials/" + credentialId + "/webhooks/OPS/platform", null, 200);
        String oldHookSecret = admin("GET", "credential-service",
                "/api/credentials/" + credentialId + "/webhook-secret?scope=OPS/platform", null, 200).path("secret");
        push("before the rotation");
        server.awaitDeliveries(Duration.ofSeconds(30));
        DeliveryAttempt first = server.deliveries().get(server.deliveries().size() - 1);
        assertEquals(202, first.status(), "the gateway accepts the hook's deliveries: " + first.error());
        int before = server.deliveries().size();

        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        AtomicInteger resent = new AtomicInteger();
        ScheduledExecutorService steps = Executors.newScheduledThreadPool(2);
        // The moment a hook gets its new secret is when a gateway that does not know it yet would refuse: watch for it and
        // deliver at once, besides the steady 50 ms.
        String[] lastSeen = {oldHookSecret};
        steps.scheduleWithFixedDelay(() -> {
            String now = hookSecretNow(credentialId);
            if (!now.equals(lastSeen[0])) {
                lastSeen[0] = now;
                try {
                    int status = resend(first, credentialId, now);
                    if (status != 202) {
                        refused.add("signed with the hook's new secret the moment it got it: " + status);
                    }
                } catch (Exception e) {
                    refused.add("could not send: " + e);
                }
            }
        }, 0, 2, TimeUnit.MILLISECONDS);
        steps.scheduleAtFixedRate(() -> {
            try {
                push("during the rotation");
                int withOld = resend(first, credentialId, oldHookSecret);
                int withCurrent = resend(first, credentialId, hookSecretNow(credentialId));
                resent.incrementAndGet();
                if (withOld != 202) {
                    refused.add("signed with the secret from before the rotation: " + withOld);
                }
                if (withCurrent != 202) {
                    refused.add("signed with the hook's secret of the moment: " + withCurrent);
                }
            } catch (Exception e) {
                refused.add("could not send: " + e);
            }
        }, 0, STEP.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(500);
            admin("POST", "credential-service", "/api/credentials/" + credentialId + "/webhook-secret:rotate", null, 200);
            Thread.sleep(1500);
        } finally {
            steps.shutdown();
            assertTrue(steps.awaitTermination(30, TimeUnit.SECONDS));
        }
        server.awaitDeliveries(Duration.ofSeconds(30));

        List<DeliveryAttempt> during = new ArrayList<>(server.deliveries().subList(before, server.deliveries().size()));
        for (DeliveryAttempt attempt : during) {
            if (attempt.status() != 202) {
                refused.add("signed by the hook: " + attempt.status() + " " + attempt.error());
            }
        }
        assertEquals(List.of(), List.copyOf(refused));
        String newHookSecret = admin("GET", "credential-service",
                "/api/credentials/" + credentialId + "/webhook-secret?scope=OPS/platform", null, 200).path("secret");
        assertNotEquals(oldHookSecret, newHookSecret, "the secret was rotated");
        assertTrue(during.stream().anyMatch(a -> WebhookSignature.sign(newHookSecret, a.delivery().body()).equals(a.header(WebhookSignature.HEADER))),
                "the hook signed with its new secret before the end: " + during.size() + " deliveries");
        assertTrue(during.size() > 20 && resent.get() > 20, during.size() + " pushes, " + resent.get() + " resent");
    }

    /** An admin's request to {@code service}; its answer must have {@code status}. */
    private static ExtractableResponse<Response> admin(String method, String service, String path, String json, int status) {
        RequestSpecification request = given().baseUri(stack.url(service)).urlEncodingEnabled(false).auth().oauth2(stack.token(Roles.ADMIN));
        if (json != null) {
            request.contentType("application/json").body(json);
        }
        return request.request(method, path).then().statusCode(status).extract();
    }

    /** The secret Bitbridge's hook on OPS/platform holds on the fake right now (what Bitbucket would sign with). */
    private static String hookSecretNow(String credentialId) {
        return server.repository("OPS", "platform").webhooks().all().stream().filter(hook -> hook.url().contains(credentialId))
                .findFirst().orElseThrow().secret();
    }

    private static void push(String message) {
        server.commitFiles("OPS", "platform", "main", Map.of("rotation.txt", UUID.randomUUID().toString()), message,
                BitbucketServerFake.SANDBOX_USER);
    }

    /** The delivery {@code original} again, under a new request id, signed with {@code hookSecret}. */
    private static int resend(DeliveryAttempt original, String credentialId, String hookSecret) throws Exception {
        byte[] body = original.delivery().body();
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url("webhook-gateway") + "/webhooks/bitbucket-server/" + credentialId))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-Event-Key", "repo:refs_changed")
                .header("X-Request-Id", UUID.randomUUID().toString()).header(WebhookSignature.HEADER, WebhookSignature.sign(hookSecret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
