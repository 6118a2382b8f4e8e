package io.bitbridge.credentials.service;

import io.bitbridge.bitbucket.BitbucketAccount;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.Tls;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.credentials.client.OnContext;
import io.bitbridge.credentials.client.Outbound;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.bitbridge.credentials.crypto.SecretCipher;
import io.bitbridge.credentials.messaging.LifecycleEvents;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.repository.CredentialRepository;
import io.bitbridge.credentials.repository.WebhookRegistrationRepository;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent.Status;
import io.bitbridge.events.CredentialLifecycleEvent.Type;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Creating, reading, testing, migrating and deleting credentials. */
@ApplicationScoped
public class CredentialService {
    public static final int MAX_NAME = 200;

    private final CredentialRepository credentials;
    private final WebhookRegistrationRepository registrations;
    private final SecretCipher cipher;
    private final AccessService access;
    private final LifecycleEvents events;
    private final Views views;
    private final String defaultCloudApi;
    private final Outbound outbound;

    CredentialService(CredentialRepository credentials, WebhookRegistrationRepository registrations, SecretCipher cipher,
                      AccessService access, LifecycleEvents events, Views views, CredentialsConfig config, Outbound outbound) {
        this.outbound = outbound;
        this.credentials = credentials;
        this.registrations = registrations;
        this.cipher = cipher;
        this.access = access;
        this.events = events;
        this.views = views;
        // Bitbucket Cloud's API unless configured otherwise (the sandbox points it at its fake).
        this.defaultCloudApi = config.cloudOauth().apiBaseUrl();
    }

    /**
     * What a request resolved to once checked: the credential's fields and the secret that goes with them;
     * {@code urlField} names the request field the base URL came from (null for the configured Cloud API).
     */
    private record Draft(CredentialKind kind, String name, String apiBaseUrl, String urlField, String username, String secret,
                         String caPem, boolean insecureTls) {

        @Override
        public String toString() {
            return "Draft[" + kind + ", " + name + "]";
        }
    }

    public Uni<CredentialView> create(CreateCredentialRequest request) {
        Draft draft = validate(request, defaultCloudApi);
        BitbucketEndpoint endpoint = outbound.endpoint(draft.apiBaseUrl(), Kinds.authorization(draft.kind(), draft.username(), draft.secret()),
                draft.caPem(), draft.insecureTls());
        return OnContext.blocking(() -> {
                    if (draft.urlField() != null) {
                        outbound.requireAllowed(draft.urlField(), endpoint.apiBaseUrl());
                    }
                    return draft;
                })
                .chain(checked -> Panache.withSession(() -> credentials.nameTaken(draft.name())))
                .invoke(taken -> {
                    if (taken) {
                        throw nameTaken(draft.name());
                    }
                })
                .chain(ignored -> access.whoIs(draft.kind(), endpoint, draft.username()))
                .chain(account -> Panache.withTransaction(() -> credentials.persist(newCredential(draft, account))
                        .call(saved -> events.record(saved, Type.CREATED))))
                .onFailure(Problems::isUniqueViolation).transform(failure -> nameTaken(draft.name()))
                .invoke(events::flushSoon)
                .map(views::of);
    }

    public Uni<List<CredentialView>> list() {
        return Panache.withSession(credentials::listByName).map(all -> all.stream().map(views::of).toList());
    }

    public Uni<CredentialView> get(UUID id) {
        return Panache.withSession(() -> credentials.findOrFail(id)).map(views::of);
    }

    /** Asks Bitbucket who the credential is and records the answer as the status (UP, or DOWN with Bitbucket's reason). */
    public Uni<CredentialView> test(UUID id) {
        return access.access(id)
                .chain(ready -> access.whoIs(ready.credential().kind, ready.endpoint(), ready.credential().username)
                        .map(account -> new Probe(account, null))
                        .onFailure(ProblemException.class).recoverWithItem(failure -> new Probe(null, ((ProblemException) failure).problem().detail())))
                .chain(probe -> Panache.withTransaction(() -> credentials.findOrFail(id).chain(c -> {
                    boolean changed = probe.account() != null
                            ? c.status(Status.UP, null, Instant.now())
                            : c.status(Status.DOWN, probe.failure(), Instant.now());
                    if (probe.account() != null) {
                        setAccount(c, probe.account());
                    }
                    Reseal.stale(c, cipher);
                    return (changed ? events.record(c, Type.STATUS_CHANGED) : Uni.createFrom().voidItem()).replaceWith(c);
                })))
                .invoke(events::flushSoon)
                .map(views::of);
    }

    private record Probe(BitbucketAccount account, String failure) {
    }

    private record Changed(Credential credential, boolean changed) {
    }

    /** Replaces an app password with an API token in one call: same id, name, webhooks; validated first. */
    public Uni<CredentialView> migrateToApiToken(UUID id, String email, String token) {
        return Panache.withSession(() -> credentials.findOrFail(id))
                .chain(c -> {
                    if (c.kind != CredentialKind.BITBUCKET_CLOUD_APP_PASSWORD) {
                        throw Problems.conflict("not-an-app-password", "Not an app password",
                                "Only BITBUCKET_CLOUD_APP_PASSWORD credentials migrate to API tokens; this one is " + c.kind + ".");
                    }
                    BitbucketEndpoint endpoint = outbound.endpoint(c.apiBaseUrl,
                            Kinds.authorization(CredentialKind.BITBUCKET_CLOUD_API_TOKEN, email, token), c.caPem, c.tlsInsecure);
                    return access.whoIs(CredentialKind.BITBUCKET_CLOUD_API_TOKEN, endpoint, email);
                })
                .chain(account -> Panache.withTransaction(() -> credentials.findLocked(id).chain(c -> {
                    c.kind = CredentialKind.BITBUCKET_CLOUD_API_TOKEN;
                    c.username = email.strip();
                    c.secret(cipher.seal(token, c.context(AccessService.SECRET)));
                    c.secretHint = Views.hint(token);
                    setAccount(c, account);
                    c.status(Status.UP, null, Instant.now());
                    c.updatedAt = Instant.now();
                    return events.record(c, Type.UPDATED).replaceWith(c);
                })))
                .invoke(events::flushSoon)
                .map(views::of);
    }

    public Uni<CredentialView> setAcceptUnsignedWithToken(UUID id, boolean accept) {
        return Panache.withTransaction(() -> credentials.findOrFail(id).chain(c -> {
                    c.acceptUnsignedWithToken = accept;
                    c.updatedAt = Instant.now();
                    return events.record(c, Type.UPDATED).replaceWith(c);
                }))
                .invoke(events::flushSoon)
                .map(views::of);
    }

    /** Removes the credential's hooks from Bitbucket, then the credential. A hook that cannot be removed stops the delete. */
    public Uni<Void> delete(UUID id) {
        return access.access(id)
                .onFailure(ProblemException.class).recoverWithNull()
                .chain(ready -> Panache.withSession(() -> registrations.forCredential(id))
                        .chain(hooks -> ready == null && !hooks.isEmpty()
                                ? Uni.createFrom().failure(Problems.conflict("credential-unusable", "Cannot remove webhooks",
                                "The credential cannot reach Bitbucket to remove its " + hooks.size() + " webhook(s); reconnect it first."))
                                : Multi.createFrom().iterable(hooks)
                                .onItem().transformToUniAndConcatenate(hook -> access.call(ready,
                                        client -> client.deleteWebhook(hook.owner, hook.repo, views.webhookUrl(ready.credential()))))
                                .collect().asList()))
                .chain(ignored -> Panache.withTransaction(() -> credentials.findOrFail(id).call(c -> {
                    c.status(Status.DOWN, "deleted", Instant.now());
                    return events.record(c, Type.DELETED).chain(() -> credentials.delete(c));
                })))
                .invoke(events::flushSoon)
                .replaceWithVoid();
    }

    /** The current webhook secret, for people who register hooks by hand. */
    /** The secret and URL token of one hook scope, for a hook an admin sets up by hand. */
    public record ScopedWebhookSecret(String scope, String secret, String urlToken) {
        @Override
        public String toString() {
            return "ScopedWebhookSecret[scope=" + scope + "]"; // never the secret, not even in a log line
        }
    }

    /**
     * What a hook of {@code scope} ({@code owner/slug} or {@code owner}) signs with, derived from the credential's root
     * secret; the root secret itself is never handed out.
     */
    public Uni<ScopedWebhookSecret> webhookSecret(UUID id, String scope) {
        if (scope == null || scope.isBlank()) {
            throw new ProblemException("invalid-scope", "Invalid scope", 400, "The query parameter scope is required: "
                    + "owner/slug for a repository hook, owner for a Cloud workspace hook or a Server project hook.");
        }
        if (!HookScope.isValid(scope)) {
            throw new ProblemException("invalid-scope", "Invalid scope", 400, "The query parameter scope must be owner/slug or owner.");
        }
        HookScope hook = new HookScope(scope);
        return Panache.withSession(() -> credentials.findOrFail(id)).map(c -> {
            String root = cipher.open(c.webhookSecret(), c.context(WebhookService.WEBHOOK_SECRET));
            return new ScopedWebhookSecret(hook.value(), hook.secret(root), hook.urlToken(root));
        });
    }

    private Credential newCredential(Draft draft, BitbucketAccount account) {
        Instant now = Instant.now();
        Credential c = new Credential();
        c.id = UUID.randomUUID();
        c.kind = draft.kind();
        c.name = draft.name();
        c.status = Status.UP;
        c.statusChangedAt = now;
        c.apiBaseUrl = draft.apiBaseUrl();
        c.username = draft.username();
        setAccount(c, account);
        c.secret(cipher.seal(draft.secret(), c.context(AccessService.SECRET)));
        c.secretHint = Views.hint(draft.secret());
        c.caPem = draft.caPem();
        c.tlsInsecure = draft.insecureTls();
        WebhookService.initialSecret(c, cipher);
        c.createdAt = now;
        c.updatedAt = now;
        return c;
    }

    static void setAccount(Credential c, BitbucketAccount account) {
        c.accountId = account.id();
        c.accountUsername = account.username();
        c.accountDisplayName = account.displayName();
        if (account.scopes() != null) {
            c.scopes = account.scopes();
        }
    }

    static ProblemException nameTaken(String name) {
        return Problems.conflict("credential-name-taken", "Name taken", "A credential named '" + name + "' exists already.");
    }

    private static Draft validate(CreateCredentialRequest r, String defaultCloudApi) {
        // kind and name are checked by Bean Validation on the request; here what depends on the kind
        String name = r.name().strip();
        String caPem = blank(r.caPem()) ? null : r.caPem().strip();
        if (caPem != null) {
            try {
                Tls.certificates(caPem);
            } catch (IllegalArgumentException e) {
                throw Problems.invalid("caPem is not a PEM certificate (-----BEGIN CERTIFICATE----- …).");
            }
        }
        boolean insecure = Boolean.TRUE.equals(r.insecureTls());
        String cloudApi = blank(r.apiBaseUrl()) ? defaultCloudApi : httpUrl("apiBaseUrl", r.apiBaseUrl());
        String cloudField = blank(r.apiBaseUrl()) ? null : "apiBaseUrl";
        return switch (r.kind()) {
            case BITBUCKET_CLOUD_OAUTH -> throw Problems.invalid(
                    "OAuth credentials are created by the consent flow: GET /oauth/bitbucket-cloud/authorize?name=…");
            case BITBUCKET_CLOUD_API_TOKEN -> {
                require(r.email(), "email (the Atlassian account email)");
                require(r.token(), "token");
                yield new Draft(r.kind(), name, cloudApi, cloudField, r.email().strip(), r.token(), caPem, insecure);
            }
            case BITBUCKET_CLOUD_ACCESS_TOKEN -> {
                require(r.token(), "token");
                yield new Draft(r.kind(), name, cloudApi, cloudField, null, r.token(), caPem, insecure);
            }
            case BITBUCKET_CLOUD_APP_PASSWORD -> {
                require(r.username(), "username");
                require(r.password(), "password (the app password)");
                yield new Draft(r.kind(), name, cloudApi, cloudField, r.username().strip(), r.password(), caPem, insecure);
            }
            case BITBUCKET_SERVER_TOKEN -> {
                require(r.baseUrl(), "baseUrl");
                require(r.token(), "token (an HTTP access token)");
                yield new Draft(r.kind(), name, httpUrl("baseUrl", r.baseUrl()), "baseUrl", blank(r.username()) ? null : r.username().strip(),
                        r.token(), caPem, insecure);
            }
        };
    }

    private static String httpUrl(String field, String value) {
        try {
            URI uri = URI.create(value.strip());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getUserInfo() != null) {
                throw new IllegalArgumentException();
            }
            String text = uri.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(field + " must be an http(s) URL without query or user info.");
        }
    }

    private static void require(String value, String what) {
        if (blank(value)) {
            throw Problems.invalid(what + " is required for this kind.");
        }
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
