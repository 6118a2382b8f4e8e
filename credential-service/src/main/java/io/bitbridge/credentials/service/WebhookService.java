package io.bitbridge.credentials.service;

import io.bitbridge.bitbucket.WebhookEventKeys;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.bitbucket.WebhookRegistration;
import io.bitbridge.bitbucket.WebhookSpec;
import io.bitbridge.common.rest.Problem;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.credentials.client.OnContext;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.bitbridge.credentials.crypto.SecretCipher;
import io.bitbridge.credentials.messaging.LifecycleEvents;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.credentials.repository.CredentialRepository;
import io.bitbridge.credentials.repository.WebhookRegistrationEntity;
import io.bitbridge.credentials.repository.WebhookRegistrationRepository;
import io.bitbridge.credentials.repository.WorkClaims;
import io.bitbridge.events.CredentialLifecycleEvent.Type;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryRef;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Bitbridge's hooks on Bitbucket repositories and the secrets they sign with: the credential keeps one root secret
 * (handed only to the gateway), every hook gets its own derived from it ({@link HookScope}). No transaction is open while Bitbucket
 * is called; a claim per repository hook ({@link WorkClaims}) keeps two replicas from creating a second hook.
 */
@ApplicationScoped
public class WebhookService {
    static final String WEBHOOK_SECRET = "webhook_secret";
    static final String PREVIOUS_WEBHOOK_SECRET = "previous_webhook_secret";
    static final String NEXT_WEBHOOK_SECRET = "next_webhook_secret";
    private static final int SECRET_BYTES = 32;
    /** Longer than the guarded calls of one hook can take (three attempts of 15 s and their pauses). */
    private static final Duration CLAIM_TTL = Duration.ofMinutes(2);
    /** Longer than a rotation of many hooks takes; a rotation that dies holding it is resumed once it has expired. */
    private static final Duration ROTATION_CLAIM_TTL = Duration.ofMinutes(30);

    private final CredentialRepository credentials;
    private final WebhookRegistrationRepository registrations;
    private final SecretCipher cipher;
    private final AccessService access;
    private final LifecycleEvents events;
    private final Views views;
    private final CredentialsConfig config;
    private final WorkClaims claims;

    WebhookService(CredentialRepository credentials, WebhookRegistrationRepository registrations, SecretCipher cipher,
                   AccessService access, LifecycleEvents events, Views views, CredentialsConfig config, WorkClaims claims) {
        this.claims = claims;
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

    /**
     * Makes Bitbridge's hook on the repository match (create-or-update). Bitbucket is called with no transaction open:
     * a short read, the call under the repository's claim (a second registration meanwhile is a 409), a short write.
     */
    public Uni<Registered> register(UUID id, String owner, String repo) {
        return access.access(id).chain(ready -> claims.exclusively(hookKey(id, owner, repo), CLAIM_TTL, () -> busy(owner, repo), () ->
                Panache.withSession(() -> registrations.find(id, owner, repo)).chain(known -> {
                    Credential c = ready.credential();
                    int version = c.webhookSecretVersion;
                    // a hook we have no record of (made by hand, or a lost row) may carry any secret: set ours
                    boolean secretChanged = known == null || known.secretVersion != version;
                    WebhookSpec spec = spec(c, owner, repo);
                    return access.call(ready, client -> client.ensureWebhook(owner, repo, spec, secretChanged))
                            .chain(result -> Panache.withTransaction(() -> registrations.find(id, owner, repo).chain(row -> {
                                WebhookRegistrationEntity saved = row != null ? row : new WebhookRegistrationEntity();
                                saved.credentialId = id;
                                saved.owner = owner;
                                saved.repo = repo;
                                saved.hookId = result.hookId();
                                // the version this call set; a rotation in between leaves it behind, so the next one fixes it
                                saved.secretVersion = version;
                                if (row == null) {
                                    saved.registeredAt = Instant.now();
                                }
                                return registrations.persist(saved);
                            })).map(saved -> new Registered(owner, repo, result.hookId(), result.outcome(), spec.url())));
                })));
    }

    /** Removes Bitbridge's hook from the repository; false when neither Bitbucket nor we knew of one. */
    public Uni<Boolean> unregister(UUID id, String owner, String repo) {
        return access.access(id).chain(ready -> claims.exclusively(hookKey(id, owner, repo), CLAIM_TTL, () -> busy(owner, repo), () ->
                access.call(ready, client -> client.deleteWebhook(owner, repo, views.webhookUrl(ready.credential())))
                        .chain(deleted -> Panache.withTransaction(() -> registrations.find(id, owner, repo).chain(known -> known == null
                                ? Uni.createFrom().item(deleted)
                                : registrations.delete(known).replaceWith(true))))));
    }

    /**
     * Rotates the credential's root secret in two phases, so that no hook ever signs with a secret the gateways do not
     * accept yet:
     * <ol>
     *   <li>stage: the next secret is stored beside the current one (a short, row-locked transaction) and announced on
     *   {@code credentials.lifecycle.v1}; from then on the gateways accept both. The rotation then waits
     *   {@code webhook-secret-propagation} for every gateway to have fetched it;</li>
     *   <li>every registered hook is given its secret derived from the next one (each under its claim, no transaction
     *   open while Bitbucket is called);</li>
     *   <li>promote: the next secret becomes the current one and the old current one the previous, valid for the overlap.</li>
     * </ol>
     * A hook Bitbucket refuses, or one being registered meanwhile, keeps the old secret (reported, valid for the overlap,
     * and fixed by the next registration). While an earlier rotation's overlap lasts, another rotation would cut off the
     * hooks that still carry the oldest secret: it is refused with 409, as is a rotation while another one runs. A
     * rotation that stopped half-way (a restart) is resumed with the secret it had staged.
     */
    public Uni<Rotated> rotate(UUID id) {
        return access.access(id).chain(ready -> claims.exclusively(rotationKey(id), ROTATION_CLAIM_TTL, () -> rotationBusy(id), () ->
                stage(id)
                        .call(staged -> announce())
                        .call(staged -> untilGatewaysHaveIt())
                        .chain(staged -> Panache.withSession(() -> registrations.forCredential(id)).chain(hooks -> Multi.createFrom().iterable(hooks)
                                .onItem().transformToUniAndConcatenate(hook -> setSecret(ready, staged, hook))
                                .collect().asList()))
                        .chain(updates -> promote(id).call(promoted -> events.flushQuietly())
                                .map(promoted -> new Rotated(promoted.updatedAt, promoted.previousWebhookValidUntil, updates)))));
    }

    /** Phase 1: the next secret, stored and announced; the one an interrupted rotation staged if there is one. */
    private Uni<Staged> stage(UUID id) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> credentials.findLockedOrFail(id).chain(c -> {
            Reseal.stale(c, cipher);
            if (c.nextWebhookSecret() == null) {
                if (c.previousWebhookValidUntil != null && now.isBefore(c.previousWebhookValidUntil)) {
                    throw Problems.conflict("webhook-secret-overlap", "Previous webhook secret still valid",
                            "The previous webhook secret stays valid until " + c.previousWebhookValidUntil + " for hooks that still "
                                    + "carry it; rotating again before then would cut them off. Rotate after that time.");
                }
                c.nextWebhookSecret(cipher.seal(SecretCipher.randomSecret(SECRET_BYTES), c.context(NEXT_WEBHOOK_SECRET)));
            }
            c.updatedAt = now;
            Staged staged = new Staged(c.id, cipher.open(c.nextWebhookSecret(), c.context(NEXT_WEBHOOK_SECRET)),
                    c.webhookSecretVersion + 1, c.kind.provider(), views.webhookUrl(c));
            return events.record(c, Type.WEBHOOK_SECRET_ROTATED).replaceWith(staged);
        }));
    }

    /** The gateways must hear of the staged secret before any hook signs with it, so this one event may not wait for the relay. */
    private Uni<Void> announce() {
        return events.flush().onFailure().transform(failure -> new ProblemException(Problem.of("webhook-secret-not-announced",
                "Rotation not announced", 503, "The gateways could not be told of the new webhook secret (Kafka unavailable); "
                        + "no hook was changed. Rotate again later: the staged secret is reused."), Duration.ofSeconds(30)));
    }

    private Uni<Void> untilGatewaysHaveIt() {
        Duration propagation = config.webhookSecretPropagation();
        if (propagation.isNegative() || propagation.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return OnContext.resume(Uni.createFrom().voidItem().onItem().delayIt().by(propagation));
    }

    /** Phase 3: the staged secret becomes the current one; the old current one is accepted for the overlap. */
    private Uni<Credential> promote(UUID id) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> credentials.findLockedOrFail(id).chain(c -> {
            if (c.nextWebhookSecret() == null) {
                return Uni.createFrom().item(c); // promoted already by a rotation that took over after our claim expired
            }
            c.previousWebhookSecret(cipher.seal(cipher.open(c.webhookSecret(), c.context(WEBHOOK_SECRET)), c.context(PREVIOUS_WEBHOOK_SECRET)));
            c.previousWebhookValidUntil = now.plus(config.webhookSecretOverlap());
            c.webhookSecret(cipher.seal(cipher.open(c.nextWebhookSecret(), c.context(NEXT_WEBHOOK_SECRET)), c.context(WEBHOOK_SECRET)));
            c.nextWebhookSecret(null);
            c.webhookSecretVersion++;
            c.updatedAt = now;
            return events.record(c, Type.WEBHOOK_SECRET_ROTATED).replaceWith(c);
        }));
    }

    /** What phase 2 gives the hooks: the staged root secret and the version it will have once promoted. */
    private record Staged(UUID credentialId, String root, int version, Provider provider, String webhookUrl) {
    }

    private Uni<HookUpdate> setSecret(AccessService.Access ready, Staged staged, WebhookRegistrationEntity hook) {
        WebhookSpec spec = spec(staged.webhookUrl(), staged.provider(), staged.root(), hook.owner, hook.repo);
        int version = staged.version();
        return claims.exclusively(hookKey(staged.credentialId(), hook.owner, hook.repo), CLAIM_TTL, () -> busy(hook.owner, hook.repo), () ->
                        access.call(ready, client -> client.ensureWebhook(hook.owner, hook.repo, spec, true))
                                .call(result -> Panache.withTransaction(() -> registrations.find(staged.credentialId(), hook.owner, hook.repo)
                                        .chain(row -> {
                                            // never step back: a later rotation may already have set a newer version
                                            if (row == null || row.secretVersion >= version) {
                                                return Uni.createFrom().voidItem();
                                            }
                                            row.secretVersion = version;
                                            row.hookId = result.hookId();
                                            return registrations.persist(row).replaceWithVoid();
                                        })))
                                .map(result -> new HookUpdate(hook.owner, hook.repo, result.outcome().name(), null)))
                .onFailure(ProblemException.class).recoverWithItem(failure -> new HookUpdate(hook.owner, hook.repo,
                        "FAILED", ((ProblemException) failure).problem().detail()));
    }

    private static String rotationKey(UUID id) {
        return "webhook-rotation:" + id;
    }

    private static ProblemException rotationBusy(UUID id) {
        return Problems.conflict("webhook-rotation-busy", "Webhook secret rotation in progress",
                "The webhook secret of credential " + id + " is being rotated by another request.");
    }

    private static String hookKey(UUID id, String owner, String repo) {
        return "webhook:" + id + ":" + owner + "/" + repo;
    }

    private static ProblemException busy(String owner, String repo) {
        return Problems.conflict("webhook-busy", "Webhook change in progress",
                "Bitbridge's webhook on " + owner + "/" + repo + " is being changed by another request; try again shortly.");
    }

    /** What the gateway needs to verify deliveries: {@code next} while a rotation runs, {@code previous} only while the overlap lasts. */
    public Uni<WebhookSecrets> secrets(UUID id) {
        return Panache.withSession(() -> credentials.findOrFail(id)).map(c -> {
            Instant now = Instant.now();
            boolean overlapping = c.previousWebhookValidUntil != null && now.isBefore(c.previousWebhookValidUntil);
            return new WebhookSecrets(cipher.open(c.webhookSecret(), c.context(WEBHOOK_SECRET)),
                    c.nextWebhookSecret() == null ? null : cipher.open(c.nextWebhookSecret(), c.context(NEXT_WEBHOOK_SECRET)),
                    overlapping ? cipher.open(c.previousWebhookSecret(), c.context(PREVIOUS_WEBHOOK_SECRET)) : null,
                    overlapping ? c.previousWebhookValidUntil : null,
                    c.acceptUnsignedWithToken, c.kind.provider(),
                    c.kind.provider() == Provider.BITBUCKET_SERVER ? RepositoryRef.hostOf(c.apiBaseUrl) : null);
        });
    }

    /** Bitbridge's hook on one repository, signed with that repository's own secret ({@link HookScope}) of the current root. */
    private WebhookSpec spec(Credential c, String owner, String repo) {
        return spec(views.webhookUrl(c), c.kind.provider(), cipher.open(c.webhookSecret(), c.context(WEBHOOK_SECRET)), owner, repo);
    }

    private static WebhookSpec spec(String webhookUrl, Provider provider, String root, String owner, String repo) {
        return new WebhookSpec(webhookUrl, "Bitbridge", HookScope.repository(owner, repo).secret(root),
                WebhookEventKeys.of(provider).registered());
    }
}
