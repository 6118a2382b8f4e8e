package io.bitbridge.credentials.service;

import io.bitbridge.bitbucket.BitbucketAccount;
import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketClient;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.credentials.client.BitbucketGuards;
import io.bitbridge.credentials.client.Outbound;
import io.bitbridge.credentials.client.CloudOAuthClient;
import io.bitbridge.credentials.client.OnContext;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.bitbridge.credentials.crypto.SecretCipher;
import io.bitbridge.credentials.messaging.LifecycleEvents;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.repository.CredentialRepository;
import io.bitbridge.credentials.repository.WorkClaims;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent.Status;
import io.bitbridge.events.CredentialLifecycleEvent.Type;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns a stored credential into something that can call Bitbucket, refreshing an OAuth access token first
 * when it is about to expire. Refreshes of one credential are serialised across every replica by a claim
 * ({@link WorkClaims}), not a row lock held across the token request: whoever waited reads the row the holder wrote,
 * so a rotating refresh token is spent once.
 */
@ApplicationScoped
public class AccessService {
    private static final Logger LOG = Logger.getLogger(AccessService.class);
    static final String SECRET = "secret";
    static final String REFRESH_TOKEN = "refresh_token";
    /** Longer than a token request can take; a holder that died frees the refresh after it. */
    private static final java.time.Duration REFRESH_CLAIM_TTL = java.time.Duration.ofSeconds(30);

    private final CredentialRepository credentials;
    private final SecretCipher cipher;
    private final CloudOAuthClient oauth;
    private final LifecycleEvents events;
    private final CredentialsConfig config;
    private final BitbucketGuards guards;
    private final WorkClaims claims;
    private final Outbound outbound;

    AccessService(CredentialRepository credentials, SecretCipher cipher, CloudOAuthClient oauth, LifecycleEvents events,
                  CredentialsConfig config, BitbucketGuards guards, WorkClaims claims, Outbound outbound) {
        this.claims = claims;
        this.outbound = outbound;
        this.guards = guards;
        this.credentials = credentials;
        this.cipher = cipher;
        this.oauth = oauth;
        this.events = events;
        this.config = config;
    }

    /** A credential ready to use. {@code credential} is a detached snapshot; {@code secret} is the password-like part. */
    public record Access(Credential credential, String secret, String authorization, BitbucketEndpoint endpoint) {
        @Override
        public String toString() {
            return "Access[" + credential.id + "]";
        }
    }

    public Uni<Access> access(UUID id) {
        return Panache.withSession(() -> credentials.findOrFail(id))
                .chain(found -> needsRefresh(found, Instant.now()) ? refresh(id) : Uni.createFrom().item(found))
                .map(this::accessOf);
    }

    public Access accessOf(Credential c) {
        String secret = cipher.open(c.secret(), c.context(SECRET));
        String authorization = Kinds.authorization(c.kind, c.username, secret);
        return new Access(c, secret, authorization, outbound.endpoint(c.apiBaseUrl, authorization, c.caPem, c.tlsInsecure));
    }

    /**
     * Calls Bitbucket as the credential (on a worker thread) through the endpoint's circuit breaker; a refusal becomes
     * a 422 problem, an outage a 502, an open breaker a 503 with {@code Retry-After}.
     */
    public <T> Uni<T> call(Access access, Function<BitbucketClient, T> work) {
        return OnContext.blocking(() -> {
            outbound.requireStillAllowed(access.endpoint());
            return work.apply(BitbucketClient.of(access.credential().kind.provider(), access.endpoint(), guards.guards()));
        }).onFailure(RuntimeException.class).transform(AccessService::problemOrSelf);
    }

    /** Who the credential is, as Bitbucket says; used to validate before anything is saved. */
    public Uni<BitbucketAccount> whoIs(CredentialKind kind, BitbucketEndpoint endpoint, String username) {
        return OnContext.blocking(() -> {
            outbound.requireStillAllowed(endpoint);
            try {
                return BitbucketClient.of(kind.provider(), endpoint, guards.guards()).currentAccount(Optional.ofNullable(username));
            } catch (BitbucketApiException e) {
                // A repository or project access token cannot have the account scope: 403 (not 401) on /2.0/user
                // means Bitbucket accepted the token and only the scope is missing.
                if (kind == CredentialKind.BITBUCKET_CLOUD_ACCESS_TOKEN && e.status() == 403) {
                    return new BitbucketAccount(null, null, null, null);
                }
                throw e;
            }
        }).onFailure(RuntimeException.class).transform(AccessService::problemOrSelf);
    }

    private static Throwable problemOrSelf(Throwable failure) {
        var problem = Problems.fromBitbucket((RuntimeException) failure);
        return problem == null ? failure : problem;
    }

    boolean needsRefresh(Credential c, Instant now) {
        return c.kind == CredentialKind.BITBUCKET_CLOUD_OAUTH
                && (c.status == Status.DOWN || c.accessTokenExpiresAt == null
                || c.accessTokenExpiresAt.minus(config.refreshBeforeExpiry()).isBefore(now));
    }

    private record Refreshed(Credential credential, boolean statusChanged) {
    }

    /**
     * Refreshes under the credential's refresh claim, with no transaction open while Bitbucket's token endpoint is
     * called; a caller that finds the claim held waits for it to end and reads what the holder stored.
     */
    private Uni<Credential> refresh(UUID id) {
        String key = "oauth-refresh:" + id;
        return claims.claim(key, REFRESH_CLAIM_TTL).chain(holder -> holder.isPresent()
                ? refreshHolding(id).onTermination().call(() -> claims.release(key, holder.get()))
                : claims.awaitReleased(key, REFRESH_CLAIM_TTL).chain(() -> Panache.withSession(() -> credentials.findOrFail(id)))
                .map(AccessService::upOrConflict));
    }

    private Uni<Credential> refreshHolding(UUID id) {
        return Panache.withSession(() -> credentials.findOrFail(id)).chain(c -> {
                    if (!needsRefresh(c, Instant.now())) {
                        // another caller or replica refreshed just before this claim
                        return Uni.createFrom().item(c);
                    }
                    String refreshToken = cipher.open(c.refreshToken(), c.context(REFRESH_TOKEN));
                    StatusChange noToken = row -> row.status(Status.DOWN, "no refresh token: reconnect", Instant.now());
                    Uni<StatusChange> outcome = refreshToken == null
                            ? Uni.createFrom().item(noToken)
                            : oauth.refresh(refreshToken)
                            .<StatusChange>map(tokens -> row -> {
                                storeTokens(row, tokens);
                                return row.status(Status.UP, null, Instant.now());
                            })
                            .onFailure().recoverWithItem((Function<Throwable, StatusChange>) failure -> failedRefresh(id, failure));
                    return outcome.chain(apply -> Panache.withTransaction(() -> credentials.findOrFail(id).chain(row -> {
                                Reseal.stale(row, cipher);
                                boolean statusChanged = apply.applyTo(row);
                                return (statusChanged ? events.record(row, Type.STATUS_CHANGED) : Uni.createFrom().voidItem())
                                        .replaceWith(new Refreshed(row, statusChanged));
                            }))
                            .invoke(r -> {
                                if (r.statusChanged()) {
                                    events.flushSoon();
                                }
                            })
                            .map(Refreshed::credential));
                })
                .map(AccessService::upOrConflict);
    }

    /** What a refresh attempt does to the row; true when the status changed. */
    private interface StatusChange {
        boolean applyTo(Credential row);
    }

    private static StatusChange failedRefresh(UUID id, Throwable failure) {
        String code = CloudOAuthClient.errorCode(failure, "token_endpoint_failed");
        LOG.warnf("refreshing the OAuth token of credential %s failed: %s", id, code);
        return row -> row.status(Status.DOWN, "token refresh failed: " + code + "; reconnect the credential", Instant.now());
    }

    private static Credential upOrConflict(Credential c) {
        if (c.status == Status.DOWN) {
            throw Problems.conflict("credential-down", "Credential is down", c.statusReason);
        }
        return c;
    }

    /** Seals a token response into the row: access token, rotated refresh token (kept when none came), expiry, scopes. */
    void storeTokens(Credential c, CloudOAuthClient.TokenSet tokens) {
        c.secret(cipher.seal(tokens.accessToken(), c.context(SECRET)));
        if (tokens.refreshToken() != null) {
            c.refreshToken(cipher.seal(tokens.refreshToken(), c.context(REFRESH_TOKEN)));
        }
        c.accessTokenExpiresAt = tokens.expiresAt();
        if (tokens.scopes() != null) {
            c.scopes = tokens.scopes();
        }
        c.updatedAt = Instant.now();
    }
}
