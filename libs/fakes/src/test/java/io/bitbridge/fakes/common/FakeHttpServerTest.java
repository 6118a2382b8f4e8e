package io.bitbridge.fakes.common;

import io.bitbridge.bitbucket.webhook.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeHttpServerTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeHttpServer server;

    @BeforeEach
    void start() {
        server = FakeHttpServer.builder("echo", request -> FakeResponse.text(200, request.method() + " "
                        + String.join("/", request.segments()) + " " + request.bodyText()))
                .faultResponse(status -> status == 429 ? FakeResponse.text(429, "slow down")
                        : FakeResponse.text(status, "broken"))
                .sandbox("hello", request -> FakeResponse.text(200, "sandbox hello"))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordsRequestsAndDecodesPathSegments() throws Exception {
        HttpResponse<String> response = call("POST", "/a/%7Bb%7D?x=1&x=2", "payload");
        assertEquals(200, response.statusCode());
        assertEquals("POST a/{b} payload", response.body());
        RecordedRequest recorded = server.requests().all().get(0);
        assertEquals(List.of("1", "2"), recorded.request().queryAll("x"));
        assertEquals(200, recorded.status());
        assertEquals("sandbox hello", call("GET", "/_sandbox/hello", null).body());
        assertEquals("{\"endpoints\":[\"/_sandbox/requests\",\"/_sandbox/faults\",\"/_sandbox/hello\"]}",
                call("GET", "/_sandbox/", null).body());
        assertEquals(1, server.requests().all().size(), "sandbox calls are not recorded");
        String listed = call("GET", "/_sandbox/requests", null).body();
        assertTrue(listed.contains("\"path\":\"/a/%7Bb%7D\""), listed);
        assertEquals(204, call("DELETE", "/_sandbox/requests", null).statusCode());
        assertTrue(server.requests().all().isEmpty());
    }

    @Test
    void sandboxRequestListingRedactsCredentials() throws Exception {
        client.send(HttpRequest.newBuilder(server.baseUri().resolve("/secret")).header("Authorization", "Bearer t0ps3cret")
                .build(), HttpResponse.BodyHandlers.ofString());
        String listed = call("GET", "/_sandbox/requests", null).body();
        assertTrue(listed.contains("\"authorization\":\"Bearer <redacted>\""), listed);
        assertFalse(listed.contains("t0ps3cret"));
        assertEquals("Bearer t0ps3cret", server.requests().all().get(0).request().header("Authorization"),
                "the Java API keeps the full request for assertions");
    }

    @Test
    void statusFaultsHitOnlyTheNextCallsOnTheirPath() throws Exception {
        server.faults().arm(Fault.status(503, 2).onPath("/api/"));
        server.faults().arm(Fault.rateLimited(1));
        HttpResponse<String> limited = call("GET", "/other", null);
        assertEquals(429, limited.statusCode(), "the rate-limit fault matches every path");
        assertEquals("slow down", limited.body(), "429 faults answer with the product's rate-limit body");
        assertEquals(200, call("GET", "/other", null).statusCode(), "/other is outside the 503 fault's path");
        assertEquals(503, call("GET", "/api/1", null).statusCode());
        assertEquals(503, call("GET", "/api/2", null).statusCode());
        assertEquals(200, call("GET", "/api/3", null).statusCode());
    }

    @Test
    void faultsArmedOverHttpAreConsumedInOrder() throws Exception {
        HttpResponse<String> armed = call("POST", "/_sandbox/faults", "{\"kind\":\"status\",\"status\":502,\"times\":2}");
        assertEquals(201, armed.statusCode());
        assertEquals(502, call("GET", "/x", null).statusCode());
        assertEquals("[{\"kind\":\"status\",\"times\":1,\"millis\":0,\"status\":502}]",
                call("GET", "/_sandbox/faults", null).body());
        assertEquals(502, call("GET", "/x", null).statusCode());
        assertEquals(200, call("GET", "/x", null).statusCode());
        assertEquals(400, call("POST", "/_sandbox/faults", "{\"kind\":\"explode\"}").statusCode());
    }

    @Test
    void latencyDelaysThenAnswers() throws Exception {
        server.faults().arm(Fault.latency(Duration.ofMillis(300), 1));
        long start = System.nanoTime();
        assertEquals(200, call("GET", "/slow", null).statusCode());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 300, "a lower bound only");
        assertEquals(Fault.Kind.LATENCY, server.requests().all().get(0).fault().kind());
    }

    @Test
    void resetDropsTheConnectionWithoutAResponse() throws Exception {
        server.faults().arm(Fault.reset(1));
        // A raw socket, because java.net.http silently retries an idempotent GET once on a dropped connection.
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /reset HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = readQuietly(socket);
            assertEquals(0, answer.length, "no response bytes before the connection drops");
        }
        assertEquals(-1, server.requests().all().get(0).status());
        assertEquals(200, call("GET", "/reset", null).statusCode());
    }

    private static byte[] readQuietly(Socket socket) throws IOException {
        try {
            return socket.getInputStream().readAllBytes();
        } catch (java.net.SocketException reset) {
            return new byte[0];
        }
    }

    @Test
    void hangOutlastsTheClientTimeout() {
        server.faults().arm(Fault.hang(Duration.ofSeconds(30), 1));
        assertThrows(HttpTimeoutException.class, () -> client.send(HttpRequest.newBuilder(server.baseUri()
                .resolve("/hang")).timeout(Duration.ofMillis(300)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aLostResponseDoesTheWorkButNeverAnswers() {
        java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
        try (FakeHttpServer counting = FakeHttpServer.builder("counting", request -> {
            handled.incrementAndGet();
            return FakeResponse.text(201, "done");
        }).start()) {
            counting.faults().arm(Fault.fromJson(FakeJson.parse("{\"kind\":\"lost_response\",\"millis\":30000,\"path_prefix\":\"/queue-it\"}")));
            assertThrows(HttpTimeoutException.class, () -> client.send(HttpRequest.newBuilder(counting.baseUri()
                    .resolve("/queue-it")).timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString()));
            assertEquals(1, handled.get(), "the handler ran");
            assertEquals(-1, counting.requests().all().get(0).status(), "recorded as unanswered");
        }
    }

    @Test
    void webhookSenderSignsRetriesOn5xxAndRecordsEachAttempt() throws Exception {
        List<FakeRequest> received = new CopyOnWriteArrayList<>();
        List<Integer> answers = new CopyOnWriteArrayList<>(List.of(500, 503, 200));
        try (FakeHttpServer receiver = FakeHttpServer.builder("receiver", request -> {
            received.add(request);
            return FakeResponse.empty(answers.remove(0));
        }).start(); WebhookSender sender = new WebhookSender("test", RetryPolicy.bitbucketCloud())) {
            byte[] body = "{\"push\":{}}".getBytes(StandardCharsets.UTF_8);
            List<DeliveryAttempt> attempts = sender.send(new WebhookDelivery("{hook}", "repo:push",
                    receiver.baseUri().resolve("/hook"), body, Map.of("X-Event-Key", "repo:push"), "s3cret"))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(List.of(500, 503, 200), attempts.stream().map(DeliveryAttempt::status).toList());
            assertEquals(List.of("1", "2", "3"), received.stream().map(r -> r.header("X-Attempt-Number")).toList());
            assertTrue(WebhookSignature.verify(received.get(2).header("X-Hub-Signature"), received.get(2).body(), List.of("s3cret")));
            assertEquals(3, sender.attempts().size());
        }
    }

    @Test
    void webhookSenderStopsOn4xxAndSendsNoSignatureWithoutSecret() throws Exception {
        try (FakeHttpServer receiver = FakeHttpServer.builder("receiver", request -> FakeResponse.empty(404)).start();
             WebhookSender sender = new WebhookSender("test", RetryPolicy.bitbucketCloud())) {
            List<DeliveryAttempt> attempts = sender.send(new WebhookDelivery("{hook}", "repo:push",
                    receiver.baseUri().resolve("/hook"), new byte[] {'{', '}'}, Map.of(), null)).get(10, TimeUnit.SECONDS);
            assertEquals(1, attempts.size());
            assertFalse(attempts.get(0).succeeded());
            assertNull(receiver.requests().all().get(0).request().header("X-Hub-Signature"));
        }
    }

    @Test
    void multipartAndUrlEncodedFormsKeepOrderAndDispositionParameters() {
        FormData.MultipartBuilder multipart = new FormData.MultipartBuilder()
                .field("message", "hello")
                .file("message", "a file called message".getBytes(StandardCharsets.UTF_8))
                .file("bin/run.sh", "#!/bin/sh\r\n".getBytes(StandardCharsets.UTF_8), "executable");
        FormData form = FormData.parse(multipart.contentType(), multipart.build());
        assertEquals(3, form.fields().size());
        assertFalse(form.fields().get(0).isFile());
        assertEquals("a file called message", form.fields().get(1).text());
        assertEquals("executable", form.fields().get(2).dispositionParameters().get("x-attributes"));
        assertEquals("#!/bin/sh\r\n", form.fields().get(2).text());
        FormData urlencoded = FormData.parse("application/x-www-form-urlencoded",
                "files=a&files=b%2Fc&%2Fmessage=x+y".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("a", "b/c"), urlencoded.all("files").stream().map(FormData.Field::text).toList());
        assertEquals("x y", urlencoded.first("/message"));
    }
}
