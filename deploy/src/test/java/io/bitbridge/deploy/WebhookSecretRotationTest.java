package io.bitbridge.deploy;

import io.bitbridge.bitbucket.webhook.WebhookSignature;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.testkit.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook secret rotation loses no delivery: credential-service and webhook-gateway run from their built jars (as
 * {@code ./bitbridge up} runs them) against the build's Kafka and PostgreSQL and the Bitbucket Server fake, which holds
 * Bitbridge's hook and signs every delivery with the secret the hook has at that moment. Every 50 ms a push is made on
 * the fake (delivered by its queue), and a delivery is sent straight to the gateway twice: signed with the secret the
 * hook holds at that moment, and with the hook's secret from before the rotation (a delivery in flight, or a hook not
 * updated yet). The secret is rotated meanwhile, and not one of them may be refused.
 */
class WebhookSecretRotationTest {
    private static final Duration STEP = Duration.ofMillis(50);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static BitbucketServerFake server;
    private static RunningServices services;
    private static SlowLink link;

    @BeforeAll
    static void start() throws Exception {
        server = BitbucketServerFake.sandbox(0);
        // Each call of the gateway to credential-service takes a second (a slow link between them), so the gateway knows
        // of a change at least a second after it is announced; the rotation waits longer than that (5 s) before the first
        // hook gets the next secret. A rotation that updated the hooks first would meet a gateway that refuses them.
        services = RunningServices.start(Map.of("credential-service", Map.of("bitbridge.credentials.webhook-secret-propagation", "PT5S")),
                credentialServicePort -> {
                    try {
                        link = new SlowLink(credentialServicePort, Duration.ofSeconds(1));
                        return link.port();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
        if (server != null) {
            server.close();
        }
        if (link != null) {
            try {
                link.close();
            } catch (java.io.IOException ignored) {
                // the test is over
            }
        }
    }

    @Test
    void deliveriesSignedWithEitherSecretThroughARotationAreAllAccepted() throws Exception {
        String credentialId = services.admin("POST", "credential-service", "/api/credentials", """
                {"kind":"BITBUCKET_SERVER_TOKEN","name":"rotation-%s","baseUrl":"%s","username":"sandbox","token":"%s"}"""
                .formatted(UUID.randomUUID(), server.baseUrl(), BitbucketServerFake.SANDBOX_TOKEN), 201).path("id");
        services.admin("PUT", "credential-service", "/api/credentials/" + credentialId + "/webhooks/OPS/platform", null, 200);
        String oldHookSecret = services.admin("GET", "credential-service",
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
            services.admin("POST", "credential-service", "/api/credentials/" + credentialId + "/webhook-secret:rotate", null, 200);
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
        String newHookSecret = services.admin("GET", "credential-service",
                "/api/credentials/" + credentialId + "/webhook-secret?scope=OPS/platform", null, 200).path("secret");
        assertNotEquals(oldHookSecret, newHookSecret, "the secret was rotated");
        assertTrue(during.stream().anyMatch(a -> WebhookSignature.sign(newHookSecret, a.delivery().body()).equals(a.header(WebhookSignature.HEADER))),
                "the hook signed with its new secret before the end: " + during.size() + " deliveries");
        assertTrue(during.size() > 20 && resent.get() > 20, during.size() + " pushes, " + resent.get() + " resent");
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(services.url("webhook-gateway") + "/webhooks/bitbucket-server/" + credentialId))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-Event-Key", "repo:refs_changed")
                .header("X-Request-Id", UUID.randomUUID().toString()).header(WebhookSignature.HEADER, WebhookSignature.sign(hookSecret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
