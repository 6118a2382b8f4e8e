package io.bitbridge.credentials.support;

import io.bitbridge.testkit.fakes.server.BitbucketServerFake;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts the Bitbucket fakes for one test class and points credential-service at them: the Server fake
 * (sandbox preset) on plain HTTP and, behind a {@link TlsFront}, on HTTPS with a certificate from a test CA.
 */
public class BitbucketFakesResource implements QuarkusTestResourceLifecycleManager {
    public static final String PUBLIC_BASE_URL = "https://bitbridge.example.com";
    public static final String UI_URL = "https://ui.example.com/credentials";

    private static volatile BitbucketServerFake server;
    private static volatile TestCa ca;
    private static volatile TlsFront serverOverTls;

    @Override
    public Map<String, String> start() {
        server = BitbucketServerFake.sandbox(0);
        ca = TestCa.generate();
        serverOverTls = new TlsFront(ca, server.http().port());
        Map<String, String> config = new HashMap<>();
        config.put("bitbridge.credentials.public-base-url", PUBLIC_BASE_URL);
        config.put("bitbridge.credentials.ui-url", UI_URL);
        return config;
    }

    @Override
    public void stop() {
        if (serverOverTls != null) {
            serverOverTls.close();
        }
        if (server != null) {
            server.close();
        }
    }

    public static BitbucketServerFake server() {
        return server;
    }

    public static TestCa ca() {
        return ca;
    }

    /** The Server fake's base URL over HTTPS (certificate signed by {@link #ca()}). */
    public static String serverHttpsUrl() {
        return serverOverTls.baseUrl();
    }
}
