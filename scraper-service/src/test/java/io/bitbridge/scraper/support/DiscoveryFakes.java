package io.bitbridge.scraper.support;

import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.server.BitbucketServerFake;

import java.util.Map;

/**
 * The Bitbucket fakes ({@link BitbucketFakes#cloud()}, {@link BitbucketFakes#server()}) with listings that take several
 * pages: Cloud's sandbox (workspaces acme: game, infra; tools: scripts) plus workspace {@code big} with
 * {@value #BIG_REPOSITORIES} repositories {@code repo-000}...; Server's sandbox (OPS/platform) plus
 * {@value #SERVER_REPOSITORIES} repositories {@code svc-0}... in project OPS.
 */
public class DiscoveryFakes extends BitbucketFakes {
    public static final int BIG_REPOSITORIES = 130;
    public static final int SERVER_REPOSITORIES = 120;

    @Override
    protected BitbucketCloudFake startCloud() {
        BitbucketCloudFake.Builder builder = BitbucketCloudFake.sandboxBuilder().workspace("big", BitbucketCloudFake.SANDBOX_USER);
        for (int i = 0; i < BIG_REPOSITORIES; i++) {
            builder.repository("big", String.format("repo-%03d", i), "main", Map.of("README.md", "# " + i + "\n"));
        }
        return builder.start();
    }

    @Override
    protected BitbucketServerFake startServer() {
        BitbucketServerFake server = BitbucketServerFake.sandbox(0);
        var ops = server.model().project("OPS").orElseThrow();
        for (int i = 0; i < SERVER_REPOSITORIES; i++) {
            server.model().createRepository(ops, "svc-" + i, "Service " + i, false, "main");
        }
        return server;
    }
}
