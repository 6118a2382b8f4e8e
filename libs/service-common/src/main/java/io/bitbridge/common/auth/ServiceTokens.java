package io.bitbridge.common.auth;

import io.quarkus.oidc.client.OidcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer token one Bitbridge service presents to another. {@code oidc}: a client-credentials grant at
 * the configured issuer through quarkus-oidc-client (production). {@code local}: minted from the local
 * private key that the launcher generates and the tests provide. Tokens are cached until shortly before expiry.
 */
@ApplicationScoped
public class ServiceTokens {
    private static final Duration LOCAL_LIFETIME = Duration.ofMinutes(10);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final String mode;
    private final Optional<String> privateKeyLocation;
    private final String issuer;
    private final String serviceName;
    private final Instance<OidcClient> oidcClient;
    private volatile String cached;
    private volatile Instant cachedUntil = Instant.MIN;

    ServiceTokens(@ConfigProperty(name = "bitbridge.auth.service-tokens", defaultValue = "local") String mode,
                  @ConfigProperty(name = "bitbridge.auth.private-key-location") Optional<String> privateKeyLocation,
                  @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer,
                  @ConfigProperty(name = "quarkus.application.name") String serviceName,
                  Instance<OidcClient> oidcClient) {
        this.mode = mode;
        this.privateKeyLocation = privateKeyLocation;
        this.issuer = issuer;
        this.serviceName = serviceName;
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
        if ("oidc".equals(mode)) {
            var tokens = oidcClient.get().getTokens().await().atMost(Duration.ofSeconds(10));
            cached = tokens.getAccessToken();
            Long expiresAt = tokens.getAccessTokenExpiresAt();
            cachedUntil = expiresAt == null ? Instant.now().plus(RENEW_BEFORE) : Instant.ofEpochSecond(expiresAt).minus(RENEW_BEFORE);
        } else {
            String location = privateKeyLocation.orElseThrow(() -> new IllegalStateException(
                    "bitbridge.auth.private-key-location is not set: local service tokens need the local key"));
            TokenMinter minter = new TokenMinter(TokenMinter.readPrivateKey(Path.of(location.replaceFirst("^file:", ""))), issuer);
            cached = minter.mint(serviceName, Set.of(Roles.SERVICE), LOCAL_LIFETIME);
            cachedUntil = Instant.now().plus(LOCAL_LIFETIME).minus(RENEW_BEFORE);
        }
        return cached;
    }
}
