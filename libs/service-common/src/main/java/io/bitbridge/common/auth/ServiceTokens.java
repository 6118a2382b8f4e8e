package io.bitbridge.common.auth;

import io.quarkus.oidc.client.OidcClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * The bearer token one Bitbridge service presents to another: a client-credentials grant through quarkus-oidc-client,
 * as this service's own client ({@code bitbridge.auth.oidc-client.*}), at the production issuer or at the launcher's
 * local token endpoint ({@link ClientCredentialsEndpoint}). No service holds a signing key. Tokens are reused until
 * shortly before they expire.
 */
@ApplicationScoped
public class ServiceTokens {
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);
    private static final Duration ISSUER_TIMEOUT = Duration.ofSeconds(10);

    private final OidcClient oidcClient;
    private String cached;
    private Instant cachedUntil = Instant.MIN;

    ServiceTokens(OidcClient oidcClient) {
        this.oidcClient = oidcClient;
    }

    /** The {@code Authorization} header value for a call to another Bitbridge service. */
    public String authorizationHeader() {
        return "Bearer " + token();
    }

    public synchronized String token() {
        if (cached != null && Instant.now().isBefore(cachedUntil)) {
            return cached;
        }
        var tokens = oidcClient.getTokens().await().atMost(ISSUER_TIMEOUT);
        cached = tokens.getAccessToken();
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        // An issuer that states no lifetime: ask again after a minute rather than use a token past its expiry.
        cachedUntil = expiresAt == null ? Instant.now().plus(RENEW_BEFORE) : Instant.ofEpochSecond(expiresAt).minus(RENEW_BEFORE);
        return cached;
    }
}
