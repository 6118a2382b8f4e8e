package io.bitbridge.credentials.service;

import io.bitbridge.bitbucket.BitbucketAccount;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.credentials.client.CloudOAuthClient;
import io.bitbridge.credentials.client.Outbound;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.bitbridge.credentials.crypto.Pkce;
import io.bitbridge.credentials.crypto.SecretCipher;
import io.bitbridge.credentials.crypto.StateSigner;
import io.bitbridge.credentials.messaging.LifecycleEvents;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.repository.CredentialRepository;
import io.bitbridge.credentials.repository.OAuthState;
import io.bitbridge.credentials.repository.OAuthStateRepository;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent.Status;
import io.bitbridge.events.CredentialLifecycleEvent.Type;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The Bitbucket Cloud OAuth consent flow. The {@code state} is single-use (a stored nonce, taken once), expiring,
 * HMAC-signed, and bound to the browser that started the flow by a cookie whose hash the signature covers; the code
 * exchange is bound to the flow by PKCE ({@link Pkce}, S256). A reconnect that comes back as another Bitbucket account
 * is refused unless the admin asked for that account change.
 */
@ApplicationScoped
public class ConsentService {
    private static final Logger LOG = Logger.getLogger(ConsentService.class);
    public static final String CALLBACK_PATH = "/oauth/bitbucket-cloud/callback";

    private final CredentialsConfig config;
    private final CloudOAuthClient oauth;
    private final OAuthStateRepository states;
    private final CredentialRepository credentials;
    private final SecretCipher cipher;
    private final AccessService access;
    private final LifecycleEvents events;
    private final Views views;
    private final StateSigner signer;
    private final Pkce pkce;
    private final Outbound outbound;

    ConsentService(CredentialsConfig config, CloudOAuthClient oauth, OAuthStateRepository states, CredentialRepository credentials,
                   SecretCipher cipher, AccessService access, LifecycleEvents events, Views views, Outbound outbound) {
        this.outbound = outbound;
        this.config = config;
        this.oauth = oauth;
        this.states = states;
        this.credentials = credentials;
        this.cipher = cipher;
        this.access = access;
        this.events = events;
        this.views = views;
        this.signer = new StateSigner(cipher.derive("oauth-state"));
        this.pkce = new Pkce(cipher.derive("oauth-pkce"));
    }

    /** Where to send the browser, and the binding cookie value it must carry back. */
    public record Start(URI authorizeUrl, String binding, Duration lifetime, boolean secureCookie) {
        @Override
        public String toString() {
            return "Start[" + lifetime + "]";
        }
    }

    public Uni<Start> startNew(String name, String caller) {
        // blank and over-long names are refused by Bean Validation on the query parameter
        String checked = name.strip();
        requireConfigured();
        return Panache.withSession(() -> credentials.nameTaken(checked)).chain(taken -> {
            if (taken) {
                throw CredentialService.nameTaken(checked);
            }
            return start(checked, null, false, caller);
        });
    }

    /** {@code allowAccountChange}: the admin means to connect the credential to another Bitbucket account than before. */
    public Uni<Start> startReconnect(UUID id, boolean allowAccountChange, String caller) {
        requireConfigured();
        return Panache.withSession(() -> credentials.findOrFail(id)).chain(c -> {
            if (c.kind != CredentialKind.BITBUCKET_CLOUD_OAUTH) {
                throw Problems.conflict("not-oauth", "Not an OAuth credential", "Only OAuth credentials reconnect through consent.");
            }
            return start(null, id, allowAccountChange, caller);
        });
    }

    private Uni<Start> start(String name, UUID reconnect, boolean allowAccountChange, String caller) {
        Instant now = Instant.now();
        OAuthState state = new OAuthState();
        state.nonce = SecretCipher.randomSecret(24);
        state.caller = caller;
        state.credentialName = name;
        state.reconnectCredential = reconnect;
        state.allowAccountChange = allowAccountChange;
        state.expiresAt = now.plus(config.cloudOauth().stateLifetime());
        String binding = SecretCipher.randomSecret(32);
        String signed = signer.sign(state.nonce, state.expiresAt, binding);
        URI url = URI.create(config.cloudOauth().authorizeUrl() + "?client_id=" + encode(oauth.clientId())
                + "&response_type=code&state=" + encode(signed) + "&redirect_uri=" + encode(redirectUri())
                + "&code_challenge=" + Pkce.challenge(pkce.verifier(state.nonce)) + "&code_challenge_method=" + Pkce.METHOD);
        return Panache.withTransaction(() -> states.purgeExpired(now).chain(() -> states.persist(state)))
                .map(saved -> new Start(url, binding, config.cloudOauth().stateLifetime(), redirectUri().startsWith("https:")));
    }

    /**
     * Handles Bitbucket's redirect and answers where to send the browser: the UI with {@code ?credential=<id>},
     * or with {@code ?bitbucket_error=<code>} and nothing stored. A forged, expired, replayed or foreign
     * {@code state} is refused with a 400 problem.
     */
    public Uni<URI> callback(String code, String stateParam, String error, String binding) {
        var verified = signer.verify(stateParam, binding, Instant.now());
        if (verified.isEmpty()) {
            throw invalidState();
        }
        return Panache.withTransaction(() -> states.take(verified.get().nonce())).chain(pending -> {
            if (pending == null) {
                throw invalidState();
            }
            if (error != null) {
                return Uni.createFrom().item(ui("bitbucket_error", errorCode(error)));
            }
            if (code == null || code.isBlank()) {
                return Uni.createFrom().item(ui("bitbucket_error", "invalid_request"));
            }
            return oauth.exchangeCode(code, redirectUri(), pkce.verifier(pending.nonce))
                    .onFailure().transform(failure -> ConsentFailed.bitbucket(CloudOAuthClient.errorCode(failure, "token_exchange_failed")))
                    .chain(tokens -> {
                        BitbucketEndpoint endpoint = outbound.endpoint(config.cloudOauth().apiBaseUrl(), "Bearer " + tokens.accessToken(), null, false);
                        return access.whoIs(CredentialKind.BITBUCKET_CLOUD_OAUTH, endpoint, null)
                                .onFailure(ProblemException.class).transform(failure -> ConsentFailed.bitbucket("account_lookup_failed"))
                                .chain(account -> store(pending, tokens, account));
                    })
                    .map(stored -> ui("credential", stored.id.toString()))
                    .onFailure(ConsentFailed.class).recoverWithItem(failure -> {
                        ConsentFailed failed = (ConsentFailed) failure;
                        LOG.infof("consent flow ended without a credential: %s=%s", failed.parameter, failed.getMessage());
                        return ui(failed.parameter, failed.getMessage());
                    });
        });
    }

    private Uni<Credential> store(OAuthState pending, CloudOAuthClient.TokenSet tokens, BitbucketAccount account) {
        Instant now = Instant.now();
        if (pending.reconnectCredential != null) {
            return Panache.withTransaction(() -> credentials.findLocked(pending.reconnectCredential).chain(c -> {
                        if (c == null) {
                            throw ConsentFailed.ours("credential_deleted");
                        }
                        if (c.accountId != null && !c.accountId.equals(account.id()) && !pending.allowAccountChange) {
                            // someone else's consent must not take over a credential that hooks and jobs depend on
                            throw ConsentFailed.ours("account_mismatch");
                        }
                        access.storeTokens(c, tokens);
                        CredentialService.setAccount(c, account);
                        boolean changed = c.status(Status.UP, null, now);
                        return events.record(c, changed ? Type.STATUS_CHANGED : Type.UPDATED).replaceWith(c);
                    }))
                    .invoke(events::flushSoon);
        }
        return Panache.withTransaction(() -> credentials.nameTaken(pending.credentialName).chain(taken -> {
                    if (taken) {
                        throw ConsentFailed.ours("name_taken");
                    }
                    Credential c = new Credential();
                    c.id = UUID.randomUUID();
                    c.kind = CredentialKind.BITBUCKET_CLOUD_OAUTH;
                    c.name = pending.credentialName;
                    c.status = Status.UP;
                    c.statusChangedAt = now;
                    c.apiBaseUrl = config.cloudOauth().apiBaseUrl();
                    c.createdAt = now;
                    access.storeTokens(c, tokens);
                    CredentialService.setAccount(c, account);
                    WebhookService.initialSecret(c, cipher);
                    return credentials.persist(c).call(saved -> events.record(saved, Type.CREATED));
                }))
                // another replica stored the same name between our check and our insert
                .onFailure(Problems::isUniqueViolation).transform(failure -> ConsentFailed.ours("name_taken"))
                .invoke(events::flushSoon);
    }

    /** Ends the flow with an error code for the UI ({@code bitbucket_error} or, for Bitbridge's own, {@code bitbridge_error}); no secret. */
    private static final class ConsentFailed extends RuntimeException {
        final String parameter;

        private ConsentFailed(String parameter, String code) {
            super(code, null, false, false);
            this.parameter = parameter;
        }

        static ConsentFailed bitbucket(String code) {
            return new ConsentFailed("bitbucket_error", code);
        }

        static ConsentFailed ours(String code) {
            return new ConsentFailed("bitbridge_error", code);
        }
    }

    private void requireConfigured() {
        if (!oauth.configured()) {
            throw new ProblemException("oauth-not-configured", "OAuth consumer not configured", 503,
                    "Set bitbridge.credentials.cloud-oauth.client-id and client-secret to use the consent flow.");
        }
    }

    /** Where Bitbucket sends the browser back: credential-service's public URL (or the one public URL routing /oauth/ to it). */
    private String redirectUri() {
        String base = config.oauthPublicUrl().orElse(views.publicBaseUrl());
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CALLBACK_PATH;
    }

    private URI ui(String parameter, String value) {
        String base = config.uiUrl();
        return URI.create(base + (base.contains("?") ? "&" : "?") + parameter + "=" + encode(value));
    }

    private static ProblemException invalidState() {
        return new ProblemException("invalid-oauth-state", "Invalid OAuth state", 400,
                "The consent link is forged, expired, already used, or was started in another browser. Start again.");
    }

    /** Bitbucket's error code as given, if it looks like one (it ends up in a URL and a page). */
    private static String errorCode(String error) {
        return error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "unknown_error";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
