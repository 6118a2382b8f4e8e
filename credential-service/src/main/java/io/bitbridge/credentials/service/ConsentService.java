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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Bitbucket Cloud OAuth consent flow. An admin asks for a consent link (a single-use, short-lived ticket, stored
 * only as its hash); the browser that opens it gets the binding cookie and goes on to Bitbucket. The {@code state} is
 * single-use (a stored nonce, taken once), expiring, HMAC-signed, and bound to that browser by the cookie, whose hash
 * the signature covers; the code exchange is bound to the flow by PKCE ({@link Pkce}, S256). A reconnect that comes
 * back as another Bitbucket account is refused unless the admin asked for that account change. The browser ends on a
 * page whose outcome is signed and bound to the same cookie.
 */
@ApplicationScoped
public class ConsentService {
    private static final Logger LOG = Logger.getLogger(ConsentService.class);
    public static final String CALLBACK_PATH = "/oauth/bitbucket-cloud/callback";
    public static final String BEGIN_PATH = "/oauth/bitbucket-cloud/begin";
    public static final String DONE_PATH = "/oauth/bitbucket-cloud/done";

    private final CredentialsConfig config;
    private final CloudOAuthClient oauth;
    private final OAuthStateRepository states;
    private final CredentialRepository credentials;
    private final SecretCipher cipher;
    private final AccessService access;
    private final LifecycleEvents events;
    private final Views views;
    private final StateSigner signer;
    private final StateSigner outcomeSigner;
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
        this.outcomeSigner = new StateSigner(cipher.derive("oauth-outcome"));
        this.pkce = new Pkce(cipher.derive("oauth-pkce"));
    }

    /** A consent link for an admin to hand to a browser: opening it once, before {@code expiresAt}, begins the consent. */
    public record Ticket(URI consentUrl, Instant expiresAt) {
        @Override
        public String toString() {
            return "Ticket[" + expiresAt + "]";
        }
    }

    /** Where to send the browser, and the binding cookie value it must carry back. */
    public record Start(URI authorizeUrl, String binding, Duration lifetime, boolean secureCookie) {
        @Override
        public String toString() {
            return "Start[" + lifetime + "]";
        }
    }

    /**
     * How a consent ended, for the page the browser lands on: the credential connected ({@code error} null) or why
     * not ({@code source} {@code bitbucket} or {@code bitbridge}, {@code error} a code). {@code name} is the new
     * credential's name; {@code account} the Bitbucket account that gave consent. No secret.
     */
    public record Outcome(String credentialId, String name, String account, String source, String error) {
        public boolean connected() {
            return error == null;
        }

        String encode() {
            return Stream.of(credentialId, name, account, source, error)
                    .map(field -> field == null ? "-" : "_" + Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(field.getBytes(StandardCharsets.UTF_8)))
                    .collect(Collectors.joining("~"));
        }

        static Optional<Outcome> decode(String text) {
            String[] fields = text.split("~", -1);
            if (fields.length != 5) {
                return Optional.empty();
            }
            String[] values = new String[5];
            for (int i = 0; i < 5; i++) {
                if (fields[i].equals("-")) {
                    continue;
                }
                if (!fields[i].startsWith("_")) {
                    return Optional.empty();
                }
                try {
                    values[i] = new String(Base64.getUrlDecoder().decode(fields[i].substring(1)), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Outcome(values[0], values[1], values[2], values[3], values[4]));
        }
    }

    /** A consent link for a new credential with this name (checked free now, and again when Bitbucket answers). */
    public Uni<Ticket> ticketForNew(String name, String caller) {
        String checked = name.strip();
        requireConfigured();
        return Panache.withSession(() -> credentials.nameTaken(checked)).chain(taken -> {
            if (taken) {
                throw CredentialService.nameTaken(checked);
            }
            return ticket(checked, null, false, caller);
        });
    }

    /** {@code allowAccountChange}: the admin means to connect the credential to another Bitbucket account than before. */
    public Uni<Ticket> ticketForReconnect(UUID id, boolean allowAccountChange, String caller) {
        requireConfigured();
        return Panache.withSession(() -> credentials.findOrFail(id)).chain(c -> {
            if (c.kind != CredentialKind.BITBUCKET_CLOUD_OAUTH) {
                throw Problems.conflict("not-oauth", "Not an OAuth credential", "Only OAuth credentials reconnect through consent.");
            }
            return ticket(null, id, allowAccountChange, caller);
        });
    }

    private Uni<Ticket> ticket(String name, UUID reconnect, boolean allowAccountChange, String caller) {
        Instant now = Instant.now();
        String ticket = SecretCipher.randomSecret(32);
        OAuthState state = new OAuthState();
        state.nonce = SecretCipher.randomSecret(24);
        state.ticketHash = ticketHash(ticket);
        state.caller = caller;
        state.credentialName = name;
        state.reconnectCredential = reconnect;
        state.allowAccountChange = allowAccountChange;
        state.expiresAt = now.plus(config.cloudOauth().ticketLifetime());
        URI url = URI.create(publicOAuthBase() + BEGIN_PATH + "?ticket=" + ticket);
        return Panache.withTransaction(() -> states.purgeExpired(now).chain(() -> states.persist(state)))
                .map(saved -> new Ticket(url, saved.expiresAt));
    }

    /**
     * A browser opened a consent link: what it is for, without spending it. Link previews (chat and mail clients fetch
     * a link to show it) must not use up a single-use link, so only {@link #begin}, from the page's button, spends it.
     * An unknown, used or expired ticket is a 400 problem.
     */
    public Uni<Pending> look(String ticket) {
        if (!wellFormed(ticket)) {
            return Uni.createFrom().failure(unknownTicket());
        }
        Instant now = Instant.now();
        return Panache.withSession(() -> states.find("ticketHash", ticketHash(ticket)).firstResult()).map(state -> {
            if (state == null) {
                throw unknownTicket();
            }
            if (!now.isBefore(state.expiresAt)) {
                throw expiredTicket();
            }
            return new Pending(state.credentialName, state.reconnectCredential == null ? null : state.reconnectCredential.toString(),
                    state.expiresAt);
        });
    }

    /** What an unspent consent link would connect: a new credential's name, or the credential it reconnects. */
    public record Pending(String credentialName, String reconnectCredential, Instant expiresAt) {
    }

    /**
     * The browser chose to go on from the consent link's page: the ticket is spent, and the browser is sent to Bitbucket
     * with a state bound to the binding cookie it gets now. An unknown, used or expired ticket is a 400 problem.
     */
    public Uni<Start> begin(String ticket) {
        if (!wellFormed(ticket)) {
            return Uni.createFrom().failure(unknownTicket());
        }
        Instant now = Instant.now();
        return Panache.withTransaction(() -> states.findByTicket(ticketHash(ticket)).chain(state -> {
            if (state == null) {
                throw unknownTicket();
            }
            if (!now.isBefore(state.expiresAt)) {
                return states.delete(state).replaceWith(Uni.createFrom().<OAuthState>nullItem());
            }
            state.ticketHash = null;
            state.expiresAt = now.plus(config.cloudOauth().stateLifetime());
            return Uni.createFrom().item(state);
        })).map(state -> {
            if (state == null) {
                throw expiredTicket();
            }
            String binding = SecretCipher.randomSecret(32);
            String signed = signer.sign(state.nonce, state.expiresAt, binding);
            URI url = URI.create(config.cloudOauth().authorizeUrl() + "?client_id=" + encode(oauth.clientId())
                    + "&response_type=code&state=" + encode(signed) + "&redirect_uri=" + encode(redirectUri())
                    + "&code_challenge=" + Pkce.challenge(pkce.verifier(state.nonce)) + "&code_challenge_method=" + Pkce.METHOD);
            return new Start(url, binding, config.cloudOauth().stateLifetime(), publicOAuthBase().startsWith("https:"));
        });
    }

    /**
     * Handles Bitbucket's redirect and answers how the consent ended: a credential stored, or Bitbucket's or
     * Bitbridge's reason and nothing stored. A forged, expired, replayed or foreign {@code state} is refused with a
     * 400 problem.
     */
    public Uni<Outcome> callback(String code, String stateParam, String error, String binding) {
        var verified = signer.verify(stateParam, binding, Instant.now());
        if (verified.isEmpty()) {
            throw invalidState();
        }
        return Panache.withTransaction(() -> states.take(verified.get().nonce())).chain(pending -> {
            if (pending == null) {
                throw invalidState();
            }
            String subject = pending.credentialName;
            String reconnected = pending.reconnectCredential == null ? null : pending.reconnectCredential.toString();
            if (error != null) {
                return Uni.createFrom().item(new Outcome(reconnected, subject, null, "bitbucket", errorCode(error)));
            }
            if (code == null || code.isBlank()) {
                return Uni.createFrom().item(new Outcome(reconnected, subject, null, "bitbucket", "invalid_request"));
            }
            return oauth.exchangeCode(code, redirectUri(), pkce.verifier(pending.nonce))
                    .onFailure().transform(failure -> ConsentFailed.bitbucket(CloudOAuthClient.errorCode(failure, "token_exchange_failed")))
                    .chain(tokens -> {
                        BitbucketEndpoint endpoint = outbound.endpoint(config.cloudOauth().apiBaseUrl(), "Bearer " + tokens.accessToken(), null, false);
                        return access.whoIs(CredentialKind.BITBUCKET_CLOUD_OAUTH, endpoint, null)
                                .onFailure(ProblemException.class).transform(failure -> ConsentFailed.bitbucket("account_lookup_failed"))
                                .chain(account -> store(pending, tokens, account));
                    })
                    .map(stored -> new Outcome(stored.id.toString(), stored.name, stored.accountUsername, null, null))
                    .onFailure(ConsentFailed.class).recoverWithItem(failure -> {
                        ConsentFailed failed = (ConsentFailed) failure;
                        LOG.infof("consent flow ended without a credential: %s=%s", failed.source, failed.getMessage());
                        return new Outcome(reconnected, subject, null, failed.source, failed.getMessage());
                    });
        });
    }

    /** The page the browser lands on after the callback: {@code done?outcome=} signed and bound to the binding cookie. */
    public URI donePage(Outcome outcome, String binding) {
        String signed = outcomeSigner.sign(outcome.encode(), Instant.now().plus(config.cloudOauth().stateLifetime()), binding);
        return URI.create(publicOAuthBase() + DONE_PATH + "?outcome=" + encode(signed));
    }

    /** The outcome the callback sent this browser (its binding cookie) to read; empty if forged, foreign or expired. */
    public Optional<Outcome> outcome(String signed, String binding) {
        return outcomeSigner.verify(signed, binding, Instant.now()).flatMap(verified -> Outcome.decode(verified.nonce()));
    }

    public Optional<String> uiUrl() {
        return config.uiUrl().filter(url -> !url.isBlank());
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

    /** Ends the flow with an error code from Bitbucket or Bitbridge for the page the browser lands on; no secret. */
    private static final class ConsentFailed extends RuntimeException {
        final String source;

        private ConsentFailed(String source, String code) {
            super(code, null, false, false);
            this.source = source;
        }

        static ConsentFailed bitbucket(String code) {
            return new ConsentFailed("bitbucket", code);
        }

        static ConsentFailed ours(String code) {
            return new ConsentFailed("bitbridge", code);
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
        return publicOAuthBase() + CALLBACK_PATH;
    }

    /** Where browsers reach this service's {@code /oauth/**}; consent links use it too, so the cookie is the callback's. */
    private String publicOAuthBase() {
        String base = config.oauthPublicUrl().orElse(views.publicBaseUrl());
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The ticket as stored: SHA-256 of 256 random bits, so the table never holds a usable link. */
    static String ticketHash(String ticket) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException unknownTicket() {
        return new ProblemException("consent-link-invalid", "Consent link not valid", 400,
                "This consent link was already used, or is not one Bitbridge made. Ask for a new one "
                        + "(POST /api/credentials/oauth-consents or ./bitbridge oauth).");
    }

    private static ProblemException expiredTicket() {
        return new ProblemException("consent-link-expired", "Consent link expired", 400,
                "This consent link has expired. Ask for a new one (POST /api/credentials/oauth-consents or ./bitbridge oauth).");
    }

    private static boolean wellFormed(String ticket) {
        return ticket != null && ticket.matches("[A-Za-z0-9_-]{43}");
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
