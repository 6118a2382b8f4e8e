package io.bitbridge.credentials.service;

import io.bitbridge.bitbucket.WebhookEventKeys;
import io.bitbridge.bitbucket.WebhookRegistration;
import io.bitbridge.bitbucket.WebhookSpec;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.bitbridge.credentials.crypto.SecretCipher;
import io.bitbridge.credentials.messaging.LifecycleEvents;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.repository.CredentialRepository;
import io.bitbridge.credentials.repository.WebhookRegistrationEntity;
import io.bitbridge.credentials.repository.WebhookRegistrationRepository;
import io.bitbridge.events.CredentialLifecycleEvent.Type;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryRef;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Bitbridge's hooks on Bitbucket repositories and the secret they sign with. Registration and rotation hold the
 * credential's row lock, so two replicas never race to create a second hook or rotate twice at once.
 */
@ApplicationScoped
public class WebhookService {
    static final String WEBHOOK_SECRET = "webhook_secret";
    static final String PREVIOUS_WEBHOOK_SECRET = "previous_webhook_secret";
    private static final int SECRET_BYTES = 32;

    private final CredentialRepository credentials;
    private final WebhookRegistrationRepository registrations;
    private final SecretCipher cipher;
    private final AccessService access;
    private final LifecycleEvents events;
    private final Views views;
    private final CredentialsConfig config;

    WebhookService(CredentialRepository credentials, WebhookRegistrationRepository registrations, SecretCipher cipher,
                   AccessService access, LifecycleEvents events, Views views, CredentialsConfig config) {
        this.credentials = credentials;
        this.registrations = registrations;
        this.cipher = cipher;
        this.access = access;
        this.events = events;
        this.views = views;
        this.config = config;
    }

    public record Registered(String owner, String repo, String hookId, WebhookRegistration.Outcome outcome, String webhookUrl) {
    }

    public record HookUpdate(String owner, String repo, String outcome, String error) {
    }

    public record Rotated(Instant rotatedAt, Instant previousValidUntil, List<HookUpdate> hooks) {
    }

    static void initialSecret(Credential c, SecretCipher cipher) {
        c.webhookSecret(cipher.seal(SecretCipher.randomSecret(SECRET_BYTES), c.context(WEBHOOK_SECRET)));
        c.webhookSecretVersion = 1;
    }

    public Uni<Registered> register(UUID id, String owner, String repo) {
        return access.access(id).chain(ready -> Panache.withTransaction(() -> credentials.findLocked(id).chain(c -> {
            if (c == null) {
                throw Problems.notFound(id);
            }
            return registrations.find(id, owner, repo).chain(known -> {
                // a hook we have no record of (made by hand, or a lost row) may carry any secret: set ours
                boolean secretChanged = known == null || known.secretVersion != c.webhookSecretVersion;
                WebhookSpec spec = spec(c, ready);
                return access.call(ready, client -> client.ensureWebhook(owner, repo, spec, secretChanged)).chain(result -> {
                    WebhookRegistrationEntity row = known != null ? known : new WebhookRegistrationEntity();
                    row.credentialId = id;
                    row.owner = owner;
                    row.repo = repo;
                    row.hookId = result.hookId();
                    row.secretVersion = c.webhookSecretVersion;
                    if (known == null) {
                        row.registeredAt = Instant.now();
                    }
                    return registrations.persist(row)
                            .map(saved -> new Registered(owner, repo, result.hookId(), result.outcome(), spec.url()));
                });
            });
        })));
    }

    /** Removes Bitbridge's hook from the repository; false when neither Bitbucket nor we knew of one. */
    public Uni<Boolean> unregister(UUID id, String owner, String repo) {
        return access.access(id).chain(ready -> Panache.withTransaction(() -> credentials.findLocked(id).chain(c ->
                access.call(ready, client -> client.deleteWebhook(owner, repo, views.webhookUrl(c)))
                        .chain(deleted -> registrations.find(id, owner, repo).chain(known -> known == null
                                ? Uni.createFrom().item(deleted)
                                : registrations.delete(known).replaceWith(true))))));
    }

    /**
     * Mints a new secret, keeps the old one valid for the configured overlap, and sets the new one on every
     * registered hook. A hook Bitbucket refuses keeps the old secret (reported, and fixed by the next registration).
     */
    public Uni<Rotated> rotate(UUID id) {
        return access.access(id).chain(ready -> Panache.withTransaction(() -> credentials.findLocked(id).chain(c -> {
                    Instant now = Instant.now();
                    Reseal.stale(c, cipher);
                    c.previousWebhookSecret(cipher.seal(cipher.open(c.webhookSecret(), c.context(WEBHOOK_SECRET)), c.context(PREVIOUS_WEBHOOK_SECRET)));
                    c.previousWebhookValidUntil = now.plus(config.webhookSecretOverlap());
                    c.webhookSecret(cipher.seal(SecretCipher.randomSecret(SECRET_BYTES), c.context(WEBHOOK_SECRET)));
                    c.webhookSecretVersion++;
                    c.updatedAt = now;
                    WebhookSpec spec = spec(c, ready);
                    return registrations.forCredential(id).chain(hooks -> Multi.createFrom().iterable(hooks)
                                    .onItem().transformToUniAndConcatenate(hook -> access.call(ready,
                                                    client -> client.ensureWebhook(hook.owner, hook.repo, spec, true))
                                            .map(result -> {
                                                hook.secretVersion = c.webhookSecretVersion;
                                                hook.hookId = result.hookId();
                                                return new HookUpdate(hook.owner, hook.repo, result.outcome().name(), null);
                                            })
                                            .onFailure(ProblemException.class).recoverWithItem(failure -> new HookUpdate(hook.owner, hook.repo,
                                                    "FAILED", ((ProblemException) failure).problem().detail())))
                                    .collect().asList())
                            .call(updates -> events.record(c, Type.WEBHOOK_SECRET_ROTATED))
                            .map(updates -> new Rotated(now, c.previousWebhookValidUntil, updates));
                })))
                .call(events::flushQuietly);
    }

    /** What the gateway needs to verify deliveries; {@code previous} only while the overlap lasts. */
    public Uni<WebhookSecrets> secrets(UUID id) {
        return Panache.withSession(() -> credentials.findById(id)).map(c -> {
            if (c == null) {
                throw Problems.notFound(id);
            }
            Instant now = Instant.now();
            boolean overlapping = c.previousWebhookValidUntil != null && now.isBefore(c.previousWebhookValidUntil);
            return new WebhookSecrets(cipher.open(c.webhookSecret(), c.context(WEBHOOK_SECRET)),
                    overlapping ? cipher.open(c.previousWebhookSecret(), c.context(PREVIOUS_WEBHOOK_SECRET)) : null,
                    overlapping ? c.previousWebhookValidUntil : null,
                    c.acceptUnsignedWithToken, c.kind.provider(),
                    c.kind.provider() == Provider.BITBUCKET_SERVER ? RepositoryRef.hostOf(c.apiBaseUrl) : null);
        });
    }

    private WebhookSpec spec(Credential c, AccessService.Access ready) {
        return new WebhookSpec(views.webhookUrl(c), "Bitbridge", cipher.open(c.webhookSecret(), c.context(WEBHOOK_SECRET)),
                WebhookEventKeys.of(c.kind.provider()).registered());
    }
}
