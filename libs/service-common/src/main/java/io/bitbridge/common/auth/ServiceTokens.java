package io.bitbridge.common.auth;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bearer token one Bitbridge service presents to another: a client-credentials grant through quarkus-oidc-client,
 * as this service's own client ({@code bitbridge.auth.oidc-client.*}), at the production issuer or at the launcher's
 * local token endpoint ({@link ClientCredentialsEndpoint}). No service holds a signing key. A token is reused until
 * shortly before it expires and renewed in the background once half its life is over, so a call waits for the issuer
 * only when no token is held at all ({@link #prefetch} avoids even that for the first call).
 */
@ApplicationScoped
public class ServiceTokens {
    private static final Logger LOG = Logger.getLogger(ServiceTokens.class);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);
    private static final Duration ISSUER_TIMEOUT = Duration.ofSeconds(10);

    private final OidcClient oidcClient;
    private final AtomicReference<Held> held = new AtomicReference<>();
    private final AtomicBoolean renewing = new AtomicBoolean();

    /** A token, until when it is used, and from when a new one is asked for in the background. */
    private record Held(String token, Instant until, Instant renewFrom) {
    }

    ServiceTokens(OidcClient oidcClient) {
        this.oidcClient = oidcClient;
    }

    /** The {@code Authorization} header value for a call to another Bitbridge service. */
    public String authorizationHeader() {
        return "Bearer " + token();
    }

    /** Throws {@link ServiceTokenUnavailableException} when no token is held and the issuer gives none now. */
    public String token() {
        Instant now = Instant.now();
        Held current = held.get();
        if (current != null && now.isBefore(current.until())) {
            if (!now.isBefore(current.renewFrom())) {
                prefetch();
            }
            return current.token();
        }
        try {
            return hold(oidcClient.getTokens().await().atMost(ISSUER_TIMEOUT)).token();
        } catch (RuntimeException e) {
            throw new ServiceTokenUnavailableException(e);
        }
    }

    /** Asks the issuer for a token in the background (one request at a time); a failure leaves the next call to ask. */
    public void prefetch() {
        if (!renewing.compareAndSet(false, true)) {
            return;
        }
        oidcClient.getTokens().subscribe().with(tokens -> {
            hold(tokens);
            renewing.set(false);
        }, failure -> {
            renewing.set(false);
            // The class only: an issuer's error text is no business of a log line.
            LOG.warnf("no service token from the issuer yet: %s", failure.getClass().getSimpleName());
        });
    }

    private Held hold(Tokens tokens) {
        Instant now = Instant.now();
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        // An issuer that states no lifetime: ask again after a minute rather than use a token past its expiry.
        Instant until = (expiresAt == null ? now.plus(RENEW_BEFORE.multipliedBy(2)) : Instant.ofEpochSecond(expiresAt)).minus(RENEW_BEFORE);
        Held fresh = new Held(tokens.getAccessToken(), until, now.plus(Duration.between(now, until).dividedBy(2)));
        held.set(fresh);
        return fresh;
    }
}
