package io.bitbridge.bitbucket;

import com.sun.net.httpserver.HttpServer;
import io.bitbridge.bitbucket.cloud.CloudHistory;
import io.bitbridge.bitbucket.server.ServerRepositories;
import io.bitbridge.callguard.CallPolicy;
import io.bitbridge.callguard.EndpointGuards;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the client sends where, and what it reads back, against real HTTP servers on loopback. */
class OutboundSafetyTest {
    /** The fakes listen on loopback over plain http. */
    private static final BaseUrlPolicy LOOPBACK = BaseUrlPolicy.allowing("127.0.0.1", "localhost");
    private static final String AUTHORIZATION = "Bearer secret-access-token";
    /** No retries: each case is one attempt. */
    private static final EndpointGuards GUARDS = BitbucketCalls.guards(new CallPolicy(Duration.ofSeconds(5), 0, Duration.ofMillis(10),
            Duration.ofMillis(10), Duration.ofMillis(10), new CallPolicy.Breaker(1000, 1.0, Duration.ofMillis(10), 1)), EndpointGuards.Listener.NONE);

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    /** A loopback HTTP server answering {@code answer(path and query)} as JSON; records every request's Authorization. */
    private Recorder serve(Function<String, String> answer) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Recorder recorder = new Recorder(server, Collections.synchronizedList(new ArrayList<>()));
        server.createContext("/", exchange -> {
            recorder.authorizations().add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = answer.apply(exchange.getRequestURI().toString()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return recorder;
    }

    private record Recorder(HttpServer server, List<String> authorizations) {
        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }
    }

    private static BitbucketEndpoint endpoint(String base) {
        return new BitbucketEndpoint(URI.create(base), AUTHORIZATION, null, false, LOOPBACK);
    }

    @Test
    void cloudPagingNeverSendsTheAuthorizationToAnotherOrigin() throws IOException {
        Recorder collector = serve(path -> "{\"values\":[]}");
        int collectorPort = collector.server().getAddress().getPort();
        for (String foreign : List.of(collector.base() + "/2.0/repositories/acme/game/refs/branches?page=2",
                "http://localhost:" + collectorPort + "/2.0/repositories/acme/game/refs/branches?page=2")) {
            Recorder api = serve(path -> "{\"values\":[{\"name\":\"main\",\"target\":{\"hash\":\"a1\"}}],\"next\":\"" + foreign + "\"}");
            CloudHistory history = new CloudHistory(endpoint(api.base()), GUARDS, RequestPacing.NONE);

            assertThrows(IllegalStateException.class, () -> history.branchHeads("acme", "game"));
            assertEquals(List.of(AUTHORIZATION), api.authorizations(), "the first page was asked for with the credential");
        }
        assertEquals(List.of(), collector.authorizations(), "nothing was sent to the other origin");
    }

    @Test
    void aUriOfAnotherSchemeHostOrPortIsRefusedUnsentWhateverHandedItOut() throws IOException {
        Recorder api = serve(path -> "{}");
        Recorder other = serve(path -> "{}");
        int port = api.server().getAddress().getPort();
        BitbucketHttp http = new BitbucketHttp(endpoint(api.base()), GUARDS);
        for (String foreign : List.of(other.base() + "/rest/api/1.0/repos?start=25", "https://127.0.0.1:" + port + "/rest/api/1.0/repos",
                "http://localhost:" + port + "/rest/api/1.0/repos", "http://user@127.0.0.1:" + port + "/rest/api/1.0/repos")) {
            assertThrows(IllegalStateException.class, () -> http.get(URI.create(foreign)), foreign);
        }
        assertEquals(List.of(), other.authorizations());
        assertEquals(List.of(), api.authorizations());

        http.get(URI.create("HTTP://127.0.0.1:" + port + "/rest/api/1.0/repos?start=25"));
        assertEquals(List.of(AUTHORIZATION), api.authorizations(), "the API's own origin, spelled differently, is the API");
    }

    @Test
    void serverPagingAsksOnlyTheBaseUrlWhateverThePagesSay() throws IOException {
        Recorder other = serve(path -> "{}");
        Recorder api = serve(path -> path.contains("start=0")
                ? "{\"isLastPage\":false,\"nextPageStart\":25,\"values\":[{\"slug\":\"a\",\"project\":{\"key\":\"OPS\"}}],"
                + "\"links\":{\"next\":\"" + other.base() + "/rest/api/1.0/repos?start=25\"}}"
                : "{\"isLastPage\":true,\"values\":[{\"slug\":\"b\",\"project\":{\"key\":\"OPS\"}}]}");

        assertEquals(2, new ServerRepositories(endpoint(api.base()), GUARDS, RequestPacing.NONE).all().size());
        assertEquals(List.of(AUTHORIZATION, AUTHORIZATION), api.authorizations());
        assertEquals(List.of(), other.authorizations());
    }

    @Test
    void everyRequestIsCheckedAgainstTheEndpointsPolicyAndARefusedOneIsNeverSent() throws IOException {
        Recorder api = serve(path -> "{}");
        BitbucketHttp allowed = new BitbucketHttp(endpoint(api.base()), GUARDS);
        allowed.get("/2.0/user");
        assertEquals(1, api.authorizations().size(), "the allow-listed loopback host is called");

        // the same server under the default policy: plain http to a loopback address, refused before any connection
        BitbucketHttp strict = new BitbucketHttp(new BitbucketEndpoint(URI.create(api.base()), AUTHORIZATION, null, false), GUARDS);
        BaseUrlRefusedException refused = assertThrows(BaseUrlRefusedException.class, () -> strict.get("/2.0/user"));
        assertTrue(refused.getMessage().contains("https"), refused.getMessage());
        // https to an address that is loopback and not allow-listed: refused for its address, at the call
        String loopbackHttps = "https://127.0.0.1:" + api.server().getAddress().getPort();
        BitbucketHttp internal = new BitbucketHttp(new BitbucketEndpoint(URI.create(loopbackHttps), AUTHORIZATION, null, false), GUARDS);
        refused = assertThrows(BaseUrlRefusedException.class, () -> internal.get("/2.0/user"));
        assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
        assertEquals(1, api.authorizations().size(), "nothing sent after the first request");
    }

    @Test
    void answersAreReadUpToTheEndpointsCap() throws IOException {
        String big = "{\"values\":[],\"pad\":\"" + "x".repeat(4096) + "\"}";
        Recorder api = serve(path -> big);
        BitbucketHttp capped = new BitbucketHttp(new BitbucketEndpoint(URI.create(api.base()), AUTHORIZATION, null, false, 1024, LOOPBACK), GUARDS);

        BitbucketApiException refused = assertThrows(BitbucketApiException.class, () -> capped.get("/2.0/user"));
        assertTrue(refused.reason().contains("larger than 1024 bytes"), refused.reason());
        assertFalse(refused.retryable(), "the same request would get the same answer");
        BitbucketHttp roomy = new BitbucketHttp(new BitbucketEndpoint(URI.create(api.base()), AUTHORIZATION, null, false, 8192, LOOPBACK), GUARDS);
        assertEquals(4096, roomy.get("/2.0/user").body().get("pad").asText().length());
    }

    @Test
    void anAnswerWithoutLengthIsCutOffAtTheCapToo() throws IOException {
        ServerSocket endless = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread streamer = new Thread(() -> {
            try (Socket socket = endless.accept(); OutputStream out = socket.getOutputStream()) {
                socket.getInputStream().read(new byte[4096]);
                out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",".repeat(64).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 100_000; i++) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // the client hung up at its cap
            }
        });
        streamer.start();
        try (endless) {
            BitbucketHttp http = new BitbucketHttp(new BitbucketEndpoint(URI.create("http://127.0.0.1:" + endless.getLocalPort()),
                    AUTHORIZATION, null, false, 64 * 1024, LOOPBACK), GUARDS);
            BitbucketApiException refused = assertThrows(BitbucketApiException.class, () -> http.get("/2.0/user"));
            assertTrue(refused.reason().contains("larger than 65536 bytes"), refused.reason());
        }
    }

    @Test
    void everyConnectionFailureReadsTheSameWhicheverWayThePortFailed() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        List<String> messages = new ArrayList<>();
        messages.add(failureAt(closed));
        try (ServerSocket hangsUp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket socket = hangsUp.accept()) {
                    socket.setSoLinger(true, 0); // a reset, not a clean close
                } catch (IOException e) {
                    // closed by the test
                }
            });
            acceptor.start();
            messages.add(failureAt(hangsUp.getLocalPort()).replace(":" + hangsUp.getLocalPort(), ":" + closed));
        }
        try (ServerSocket speaksSsh = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket socket = speaksSsh.accept(); OutputStream out = socket.getOutputStream()) {
                    out.write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closed by the test
                }
            });
            acceptor.start();
            messages.add(failureAt(speaksSsh.getLocalPort()).replace(":" + speaksSsh.getLocalPort(), ":" + closed));
        }
        assertEquals(List.of("GET http://127.0.0.1:" + closed + " unreachable"), messages.stream().distinct().toList());
    }

    private static String failureAt(int port) {
        BitbucketHttp http = new BitbucketHttp(endpoint("http://127.0.0.1:" + port), GUARDS);
        return assertThrows(BitbucketUnreachableException.class, () -> http.get("/rest/api/1.0/repos")).getMessage();
    }

    @Test
    void errorTextIsClippedAndFlattened() {
        String reason = ErrorEnvelope.reason(("{\"type\":\"error\",\"error\":{\"message\":\"Bad\\r\\n2026-12-02 INFO forged log line\\u001b[31m"
                + "\\u202e" + "y".repeat(500) + "\"}}").getBytes(StandardCharsets.UTF_8));
        assertTrue(reason.startsWith("Bad 2026-12-02 INFO forged log line [31m yyy"), reason);
        assertTrue(reason.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT), reason);
        assertEquals(301, reason.length(), "300 characters and an ellipsis");
        assertEquals("plain text", ErrorEnvelope.reason("plain\u0000text\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void baseUrlsMustBeHttpsOnPublicAddressesUnlessAllowListed() {
        Map<String, String> dns = Map.of("bitbucket.example.com", "104.192.141.1", "metadata.example", "169.254.169.254",
                "intranet.example", "10.1.2.3", "cgnat.example", "100.64.0.7", "v6local.example", "fd00::1", "localhost", "127.0.0.1");
        BaseUrlPolicy policy = new BaseUrlPolicy(List.of("localhost"), List.of("localhost", "Bitbucket.Corp"),
                host -> dns.containsKey(host) ? new InetAddress[]{address(dns.get(host))}
                        : host.matches("[0-9a-f.:]+") ? new InetAddress[]{address(host)} : new InetAddress[0]);

        assertEquals(java.util.Optional.empty(), policy.refusal(URI.create("https://bitbucket.example.com")));
        assertEquals(java.util.Optional.empty(), policy.refusal(URI.create("http://localhost:7990")), "allow-listed for http and private");
        assertEquals(java.util.Optional.empty(), policy.refusal(URI.create("https://bitbucket.corp/bitbucket")), "allow-listed private host");
        for (String refused : List.of("http://bitbucket.example.com", "ftp://bitbucket.example.com", "https://metadata.example",
                "https://169.254.169.254/latest/meta-data", "https://intranet.example", "https://cgnat.example", "https://v6local.example",
                "https://[::1]:7990", "https://127.0.0.2", "https://0.0.0.0", "https://unknown.example", "http://bitbucket.corp")) {
            assertTrue(policy.refusal(URI.create(refused)).isPresent(), refused);
        }
        assertTrue(policy.refusal(URI.create("http://bitbucket.example.com")).orElseThrow().contains("https"));
        assertTrue(policy.refusal(URI.create("https://metadata.example")).orElseThrow().contains("private"));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
