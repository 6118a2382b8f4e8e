package io.bitbridge.scraper.support;

import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The Bitbucket fakes for one test class: Cloud (sandbox preset: workspaces acme and tools) and Server (sandbox preset:
 * project OPS, repository platform), each on a free port. A subclass seeds more ({@link DiscoveryFakes}).
 */
public class BitbucketFakes implements QuarkusTestResourceLifecycleManager {
    private static volatile BitbucketCloudFake cloud;
    private static volatile BitbucketServerFake server;

    @Override
    public Map<String, String> start() {
        cloud = startCloud();
        server = startServer();
        return Map.of();
    }

    protected BitbucketCloudFake startCloud() {
        return BitbucketCloudFake.sandbox();
    }

    protected BitbucketServerFake startServer() {
        return BitbucketServerFake.sandbox(0);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    public static BitbucketCloudFake cloud() {
        return cloud;
    }

    public static BitbucketServerFake server() {
        return server;
    }
}
