package io.bitbridge.gateway.service;

import io.bitbridge.gateway.client.WebhookSecrets;
import io.bitbridge.gateway.client.WebhookSecretsFetcher;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Webhook secrets per credential, cached with a bounded size and TTL (quarkus.cache.caffeine."webhook-secrets".*)
 * and dropped as soon as credential-service announces a change to that credential. "Unknown credential" is
 * cached too, so random ids in webhook URLs cannot hammer credential-service. Failures are never cached.
 */
@ApplicationScoped
public class WebhookSecretsCache {
    public static final String CACHE = "webhook-secrets";

    private final WebhookSecretsFetcher fetcher;
    private final Cache cache;

    WebhookSecretsCache(WebhookSecretsFetcher fetcher, @CacheName(CACHE) Cache cache) {
        this.fetcher = fetcher;
        this.cache = cache;
    }

    @CacheResult(cacheName = CACHE)
    public Optional<WebhookSecrets> lookup(String credentialId) {
        return fetcher.fetch(credentialId);
    }

    public Uni<Void> forget(String credentialId) {
        return cache.invalidate(credentialId);
    }

    public Uni<Void> forgetAll() {
        return cache.invalidateAll();
    }
}
