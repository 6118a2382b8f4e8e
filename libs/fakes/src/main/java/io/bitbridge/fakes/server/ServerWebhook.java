package io.bitbridge.fakes.server;

import java.util.List;
import java.util.Map;

/** A repository webhook as stored; {@code configuration.secret} signs deliveries. */
public record ServerWebhook(int id, String name, String url, boolean active, List<String> events,
                            Map<String, String> configuration, boolean sslVerificationRequired,
                            String credentialsUsername, String credentialsPassword,
                            long createdDate, long updatedDate) {

    public String secret() {
        String secret = configuration.get("secret");
        return secret == null || secret.isEmpty() ? null : secret;
    }

    boolean subscribes(String eventKey) {
        return active && events.contains(eventKey);
    }
}
