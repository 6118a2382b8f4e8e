package io.bitbridge.credentialclient;

import io.bitbridge.common.auth.ServiceTokens;
import io.bitbridge.credentialapi.Authorization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A credential's ready authorization for calling Bitbucket, as credential-service hands it out: the one way every
 * service that reads or writes Bitbucket gets it. Guarded (timeout, jittered retries, circuit breaker) and reused
 * until {@code bitbridge.credential-client.authorization-max-age} or a minute before the token expires, so a busy
 * consumer does not ask credential-service once per event; an unknown (deleted) credential is remembered as unknown
 * for the max age too. What is held is answered before the guards, which cost a timer per call. Until it runs out, a
 * change is seen only through {@link #forget} (the credential lifecycle events). Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class CredentialAuthorizations {
    /** An OAuth token is dropped this long before it expires, so no call leaves with a token about to die. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

    private final CredentialServiceClient client;
    private final Supplier<String> serviceAuthorization;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    @Inject
    CredentialAuthorizations(@RestClient CredentialServiceClient client, ServiceTokens serviceTokens,
                             @ConfigProperty(name = "bitbridge.credential-client.authorization-max-age") Duration maxAge) {
        this(client, serviceTokens::authorizationHeader, maxAge, Clock.systemUTC());
    }

    CredentialAuthorizations(CredentialServiceClient client, Supplier<String> serviceAuthorization, Duration maxAge, Clock clock) {
        this.client = client;
        this.serviceAuthorization = serviceAuthorization;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * The authorization of a credential; empty when credential-service does not know it (deleted). Throws
     * {@link CredentialNeedsReconnectException} when the credential cannot be used until an admin reconnects it, and
     * {@link CredentialServiceUnavailableException} when credential-service cannot answer now (worth retrying later).
     */
    public Optional<Authorization> forCredential(String credentialId) {
        Held cached = held.get(credentialId);
        if (cached != null && clock.instant().isBefore(cached.reuseUntil())) {
            return cached.authorization();
        }
        return fetch(credentialId);
    }

    /** Asks credential-service (self-invocation is intercepted in Quarkus, so the guards apply). */
    @Timeout(value = 3, unit = java.time.temporal.ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 200,
            abortOn = {CredentialNeedsReconnectException.class})
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = java.time.temporal.ChronoUnit.SECONDS,
            skipOn = {CredentialNeedsReconnectException.class})
    Optional<Authorization> fetch(String credentialId) {
        Instant now = clock.instant();
        try {
            Authorization fresh = client.authorization(credentialId, serviceAuthorization.get());
            if (fresh == null || fresh.authorization() == null || fresh.apiBaseUrl() == null) {
                throw new CredentialServiceUnavailableException("credential-service answered without an authorization");
            }
            held.put(credentialId, new Held(Optional.of(fresh), reuseUntil(fresh, now)));
            return Optional.of(fresh);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 404) {
                held.put(credentialId, new Held(Optional.empty(), now.plus(maxAge)));
                return Optional.empty();
            }
            if (status == 409) {
                held.remove(credentialId);
                throw new CredentialNeedsReconnectException(credentialId);
            }
            throw new CredentialServiceUnavailableException("credential-service answered HTTP " + status);
        } catch (ProcessingException e) {
            throw new CredentialServiceUnavailableException("credential-service unreachable: " + e.getClass().getSimpleName());
        }
    }

    /** Forget what is held for a credential (its lifecycle changed, or Bitbucket refused the token). */
    public void forget(String credentialId) {
        held.remove(credentialId);
    }

    private Instant reuseUntil(Authorization authorization, Instant now) {
        Instant byAge = now.plus(maxAge);
        if (authorization.expiresAt() == null) {
            return byAge;
        }
        Instant byExpiry = authorization.expiresAt().minus(EXPIRY_MARGIN);
        return byExpiry.isBefore(byAge) ? byExpiry : byAge;
    }

    /** An authorization, or empty for a credential credential-service does not know, and until when it is answered. */
    private record Held(Optional<Authorization> authorization, Instant reuseUntil) {
    }
}
