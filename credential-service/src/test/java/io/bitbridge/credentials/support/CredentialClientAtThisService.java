package io.bitbridge.credentials.support;

import io.bitbridge.testkit.SharedTestInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points libs/credential-client at the service under test, so its CDI bean calls the real internal endpoint, as
 * scraper-service would: with scraper-service's client at the build's token endpoint (quarkus-oidc-client). The port
 * is resolved when the client is first built, after Quarkus has bound its random test port.
 */
public class CredentialClientAtThisService implements QuarkusTestResourceLifecycleManager {
    private static final String CALLER = "scraper-service";

    @Override
    public Map<String, String> start() {
        // quarkus.oidc-client.* itself: it takes precedence over the bitbridge.auth.oidc-client.* the shared resource sets.
        return Map.of("quarkus.rest-client.credential-service.url", "http://127.0.0.1:${quarkus.http.test-port}",
                "quarkus.oidc-client.client-id", CALLER,
                "quarkus.oidc-client.credentials.secret", SharedTestInfra.get().clientSecret(CALLER));
    }

    @Override
    public void stop() {
    }
}
