package io.bitbridge.common.auth;

import java.util.Map;
import java.util.Set;

/**
 * The scopes each Bitbridge service needs beyond {@link Roles#SERVICE}: what the local token endpoint grants each
 * service's client, and what a production issuer grants them (README, "Service identities"). A service not listed
 * needs none.
 */
public final class ServiceScopes {
    private static final Map<String, Set<String>> NEEDED = Map.of(
            "webhook-gateway", Set.of(Roles.READ_WEBHOOK_SECRETS),
            "scraper-service", Set.of(Roles.READ_AUTHORIZATIONS),
            "gitops-writer", Set.of(Roles.READ_AUTHORIZATIONS),
            "build-trigger", Set.of(Roles.READ_AUTHORIZATIONS));

    private ServiceScopes() {
    }

    public static Set<String> of(String serviceName) {
        return NEEDED.getOrDefault(serviceName, Set.of());
    }
}
