package io.bitbridge.gateway.service;

import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.gateway.client.WebhookSecretsFetcher;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Webhook secrets per credential, cached with a bounded size and TTL (quarkus.cache.caffeine."webhook-secrets".*)
 * and dropped as soon as credential-service announces a change to that credential. "Unknown credential" is
 * cached too, so random ids in webhook URLs cannot hammer credential-service. Failures are never cached.
 * A hit is read straight from Caffeine: every delivery asks, and only a miss needs the loading machinery.
 */
@ApplicationScoped
public class WebhookSecretsCache {
    public static final String CACHE = "webhook-secrets";

    private final WebhookSecretsFetcher fetcher;
    private final Cache cache;
    private final CaffeineCache entries;

    WebhookSecretsCache(WebhookSecretsFetcher fetcher, @CacheName(CACHE) Cache cache) {
        this.fetcher = fetcher;
        this.cache = cache;
        this.entries = cache.as(CaffeineCache.class);
    }

    public Optional<WebhookSecrets> lookup(String credentialId) {
        CompletableFuture<Optional<WebhookSecrets>> cached = entries.getIfPresent(credentialId);
        if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
            return cached.join();
        }
        // One load per credential even when many deliveries miss at once; a failure is not kept.
        return cache.<String, Optional<WebhookSecrets>>get(credentialId, fetcher::fetch).await().indefinitely();
    }

    public Uni<Void> forget(String credentialId) {
        return cache.invalidate(credentialId);
    }

    public Uni<Void> forgetAll() {
        return cache.invalidateAll();
    }
}
