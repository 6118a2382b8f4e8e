package io.bitbridge.credentials.rest;

import io.bitbridge.common.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/**
 * Which service identities may call which internal endpoint, on top of the scope the endpoint requires: a token with
 * the right scope but issued to another service (a misconfigured issuer, a leaked client) is still refused.
 */
@ApplicationScoped
public class InternalCallers {
    private final JsonWebToken token;
    private final String callerClaim;
    private final Set<String> webhookSecretReaders;
    private final Set<String> authorizationReaders;

    InternalCallers(JsonWebToken token,
                    @ConfigProperty(name = "bitbridge.internal-api.caller-claim") String callerClaim,
                    @ConfigProperty(name = "bitbridge.internal-api.webhook-secret-readers") Set<String> webhookSecretReaders,
                    @ConfigProperty(name = "bitbridge.internal-api.authorization-readers") Set<String> authorizationReaders) {
        this.token = token;
        this.callerClaim = callerClaim;
        this.webhookSecretReaders = webhookSecretReaders;
        this.authorizationReaders = authorizationReaders;
    }

    void requireWebhookSecretReader() {
        require(webhookSecretReaders, "webhook secrets");
    }

    void requireAuthorizationReader() {
        require(authorizationReaders, "authorizations");
    }

    private void require(Set<String> allowed, String what) {
        Object caller = token.getClaim(callerClaim);
        if (caller == null || !allowed.contains(caller.toString())) {
            throw new ProblemException("forbidden", "Forbidden", 403, "This service identity may not read " + what + ".");
        }
    }
}
