package io.bitbridge.credentials.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points libs/credential-client at the service under test, so its CDI bean calls the real internal endpoint. The port
 * is resolved when the client is first built, after Quarkus has bound its random test port.
 */
public class CredentialClientAtThisService implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.credential-service.url", "http://127.0.0.1:${quarkus.http.test-port}");
    }

    @Override
    public void stop() {
    }
}
