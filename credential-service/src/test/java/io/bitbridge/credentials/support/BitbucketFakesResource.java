package io.bitbridge.credentials.support;

import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.TestCa;
import io.bitbridge.fakes.common.TlsFront;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts the Bitbucket fakes for one test class and points credential-service at them: the Cloud fake (sandbox
 * preset plus Bitbridge's OAuth consumer, an app password and a repository access token) as Bitbucket Cloud, and
 * the Server fake (sandbox preset) on plain HTTP and, behind a {@link TlsFront}, on HTTPS with a test CA's certificate.
 */
public class BitbucketFakesResource implements QuarkusTestResourceLifecycleManager {
    public static final String PUBLIC_BASE_URL = "https://bitbridge.example.com";
    /** Where browsers reach credential-service itself (the OAuth callback), apart from the webhooks' public URL. */
    public static final String OAUTH_PUBLIC_URL = "https://credentials.bitbridge.example.com";
    /** A second Bitbucket Cloud user, who may click Allow instead of the sandbox user. */
    public static final String OTHER_USER = "other";
    public static final String UI_URL = "https://ui.example.com/credentials";

    public static final String CONSUMER_KEY = "bitbridge-consumer";
    public static final String CONSUMER_SECRET = "bitbridge-consumer-secret-7f3a";
    public static final String APP_PASSWORD = "ATBBappPassword0000Sandbox";
    public static final String REPO_ACCESS_TOKEN = "ATCTTrepoAccessTokenForAcmeGame";

    private static volatile BitbucketCloudFake cloud;
    private static volatile BitbucketServerFake server;
    private static volatile TestCa ca;
    private static volatile TlsFront serverOverTls;

    @Override
    public Map<String, String> start() {
        cloud = BitbucketCloudFake.sandboxBuilder()
                .user(OTHER_USER, "Other User", "other@example.com")
                .oauthConsumer(CONSUMER_KEY, CONSUMER_SECRET, OAUTH_PUBLIC_URL, BitbucketCloudFake.SANDBOX_USER, false,
                        "account", "repository", "repository:admin", "pullrequest", "webhook")
                .appPassword(BitbucketCloudFake.SANDBOX_USER, APP_PASSWORD, "account", "repository", "webhook")
                .repositoryAccessToken("acme", "game", REPO_ACCESS_TOKEN, "repository", "repository:admin", "webhook", "pullrequest")
                .start();
        server = BitbucketServerFake.sandbox(0);
        ca = TestCa.generate();
        serverOverTls = new TlsFront(ca, server.http().port());
        Map<String, String> config = new HashMap<>();
        config.put("bitbridge.credentials.public-base-url", PUBLIC_BASE_URL);
        config.put("bitbridge.credentials.oauth-public-url", OAUTH_PUBLIC_URL);
        config.put("bitbridge.credentials.ui-url", UI_URL);
        config.put("bitbridge.credentials.cloud-oauth.client-id", CONSUMER_KEY);
        config.put("bitbridge.credentials.cloud-oauth.client-secret", CONSUMER_SECRET);
        config.put("bitbridge.credentials.cloud-oauth.authorize-url", cloud.authorizeUrl());
        config.put("bitbridge.credentials.cloud-oauth.token-url", cloud.tokenUrl());
        config.put("bitbridge.credentials.cloud-oauth.api-base-url", cloud.baseUri().toString());
        // a small breaker that opens and closes again quickly in tests
        config.put("bitbridge.credentials.bitbucket-breaker.request-volume-threshold", "4");
        // long enough that a slow CI machine still sees the breaker open between two calls
        config.put("bitbridge.credentials.bitbucket-breaker.delay", "PT3S");
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

    public static TestCa ca() {
        return ca;
    }

    /** The Server fake's base URL over HTTPS (certificate signed by {@link #ca()}). */
    public static String serverHttpsUrl() {
        return serverOverTls.baseUrl();
    }
}
