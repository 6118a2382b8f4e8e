package io.bitbridge.fakes;

import com.sun.net.httpserver.HttpServer;
import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.bitbucket.BaseUrlPolicy;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.DiscoveredRepository;
import io.bitbridge.bitbucket.RequestPacing;
import io.bitbridge.bitbucket.cloud.CloudRepositories;
import io.bitbridge.bitbucket.server.ServerRepositories;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.fakes.server.ServerPermission;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bitbucket-client's repository listings against the fakes: every page of every workspace, Server paging, a hostile next. */
class RepositoryDiscoveryClientsTest {
    /** The fakes listen on loopback over plain http. */
    private static final BaseUrlPolicy LOOPBACK = BaseUrlPolicy.allowing("127.0.0.1", "localhost");

    @Test
    void cloudListsEveryRepositoryOfEveryWorkspaceAcrossPages() {
        BitbucketCloudFake.Builder builder = BitbucketCloudFake.sandboxBuilder().workspace("big", BitbucketCloudFake.SANDBOX_USER);
        for (int i = 0; i < 130; i++) {
            builder.repository("big", String.format("repo-%03d", i), "main", Map.of("README.md", "# " + i + "\n"));
        }
        try (BitbucketCloudFake cloud = builder.start()) {
            String basic = "Basic " + Base64.getEncoder().encodeToString((BitbucketCloudFake.SANDBOX_EMAIL + ":"
                    + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes(StandardCharsets.UTF_8));
            AtomicInteger requests = new AtomicInteger();
            RequestPacing counting = new RequestPacing() {
                @Override
                public <T> T call(java.util.function.Supplier<T> request) {
                    requests.incrementAndGet();
                    return request.get();
                }
            };
            CloudRepositories listing = new CloudRepositories(new BitbucketEndpoint(URI.create(cloud.apiUrl()), basic, null, false, LOOPBACK),
                    BitbucketCalls.defaultGuards(), counting);

            assertEquals(List.of("acme", "big", "tools"), listing.workspaces());
            List<DiscoveredRepository> all = listing.all();
            assertEquals(133, all.size());
            assertEquals(130, all.stream().filter(r -> r.owner().equals("big")).map(DiscoveredRepository::slug).distinct().count());
            DiscoveredRepository game = all.stream().filter(r -> r.slug().equals("game")).findFirst().orElseThrow();
            assertEquals("acme", game.owner());
            assertEquals("main", game.mainBranch());
            assertTrue(game.cloneUrls().stream().anyMatch(c -> "https".equals(c.name())), game.cloneUrls().toString());
            // workspaces (1 page) + acme, tools (1 page each) + big (2 pages of 100)
            assertEquals(1 + 1 + 1 + 2 + 1, requests.get());
        }
    }

    @Test
    void serverListsEveryRepositoryAcrossPages() {
        try (BitbucketServerFake server = BitbucketServerFake.sandbox(0)) {
            var ops = server.model().project("OPS").orElseThrow();
            for (int i = 0; i < 120; i++) {
                server.model().createRepository(ops, "svc-" + i, "Service " + i, false, "main");
            }
            ServerRepositories listing = new ServerRepositories(new BitbucketEndpoint(URI.create(server.baseUrl()),
                    "Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null, false, LOOPBACK), BitbucketCalls.defaultGuards(), RequestPacing.NONE);
            List<DiscoveredRepository> all = listing.all();
            assertEquals(121, all.size());
            assertEquals(121, all.stream().map(DiscoveredRepository::slug).distinct().count());
            assertTrue(all.stream().allMatch(r -> r.owner().equals("OPS") && r.privateRepository()));
        }
    }

    @Test
    void aNextLinkToAnotherHostIsRefusedAndNeverFollowed() throws Exception {
        HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> asked = new ArrayList<>();
        hostile.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().toString());
            String body = exchange.getRequestURI().getPath().equals("/2.0/user/workspaces")
                    ? "{\"values\":[{\"workspace\":{\"slug\":\"acme\"}}],\"next\":\"https://attacker.example/2.0/user/workspaces?page=2\"}"
                    : "{\"values\":[]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        hostile.start();
        try {
            CloudRepositories listing = new CloudRepositories(new BitbucketEndpoint(
                    URI.create("http://127.0.0.1:" + hostile.getAddress().getPort()), "Bearer secret", null, false, LOOPBACK),
                    BitbucketCalls.defaultGuards(), RequestPacing.NONE);
            IllegalStateException refused = assertThrows(IllegalStateException.class, listing::workspaces);
            assertTrue(refused.getMessage().contains("attacker.example"), refused.getMessage());
            assertEquals(List.of("/2.0/user/workspaces?pagelen=100"), asked);
        } finally {
            hostile.stop(0);
        }
    }
}
