package io.bitbridge.gateway.service;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.bitbridge.callguard.TokenBucket;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.gateway.config.GatewayConfig;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Webhook secrets per credential (see {@link GatewayConfig.Secrets} for the policy). Known secrets are refreshed in the
 * background and, while credential-service cannot answer, served stale up to a bound counted from the last answer it
 * gave; "unknown credential" is kept briefly; failures are never kept. A miss (nothing cached) is the only way a
 * delivery reaches credential-service, and misses draw from a token bucket, so a flood of made-up ids costs
 * credential-service a bounded number of calls.
 */
public class WebhookSecretsCache {
    private final AsyncLoadingCache<UUID, Entry> entries;
    private final TokenBucket misses;

    /**
     * @param fetch    asks credential-service: empty for an unknown credential, an exception when it cannot answer
     * @param executor where fetches run (never the caller's thread: a refresh must not delay a delivery)
     * @param ticker   the clock of expiry, refresh and the miss budget (nanoseconds)
     */
    public WebhookSecretsCache(Function<UUID, Optional<WebhookSecrets>> fetch, GatewayConfig.Secrets config,
                               Executor executor, Ticker ticker) {
        long staleNanos = config.serveStaleFor().toNanos();
        long unknownNanos = config.unknownFor().toNanos();
        this.misses = new TokenBucket(config.missBurst(), config.missesPerSecond() * 3600, ticker::read);
        this.entries = Caffeine.newBuilder()
                .maximumSize(config.maximumSize())
                .refreshAfterWrite(config.refreshAfter())
                .expireAfter(new KeptUntil(staleNanos, unknownNanos))
                .executor(executor)
                .ticker(ticker)
                .buildAsync(new Fetcher(fetch, ticker));
    }

    /**
     * The credential's secrets, or empty when credential-service says it does not exist.
     *
     * @throws SecretsUnavailableException when nothing usable is cached and credential-service cannot be asked now
     */
    public Optional<WebhookSecrets> lookup(UUID credentialId) {
        CompletableFuture<Entry> cached = entries.getIfPresent(credentialId);
        if (cached == null) {
            if (!misses.tryTake()) {
                throw new SecretsUnavailableException("too many lookups of credentials not in the cache");
            }
            cached = entries.get(credentialId);
        }
        try {
            return cached.join().secrets();
        } catch (CompletionException e) {
            throw new SecretsUnavailableException("credential-service could not answer: " + describe(e.getCause()));
        }
    }

    /**
     * Fetches the credential's secrets again because credential-service announced a change; until the answer
     * arrives (or if none does) the cached ones keep serving. A credential this gateway never saw is not fetched.
     */
    public void refresh(UUID credentialId) {
        if (entries.asMap().containsKey(credentialId)) {
            entries.synchronous().refresh(credentialId);
        }
    }

    private static String describe(Throwable failure) {
        return failure == null ? "unknown failure" : failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    /** What credential-service answered, and when (ticker time): the stale bound counts from there. */
    private record Entry(Optional<WebhookSecrets> secrets, long answeredAt) {
    }

    /** Loads ask credential-service; a failed refresh keeps the entry it would have replaced, answer time and all. */
    private record Fetcher(Function<UUID, Optional<WebhookSecrets>> fetch, Ticker ticker) implements CacheLoader<UUID, Entry> {
        @Override
        public Entry load(UUID credentialId) {
            return new Entry(fetch.apply(credentialId), ticker.read());
        }

        @Override
        public Entry reload(UUID credentialId, Entry previous) {
            try {
                return load(credentialId);
            } catch (RuntimeException e) {
                return previous;
            }
        }
    }

    /** Known secrets until {@code staleNanos} after credential-service last answered; unknown ones for less. */
    private record KeptUntil(long staleNanos, long unknownNanos) implements Expiry<UUID, Entry> {
        @Override
        public long expireAfterCreate(UUID key, Entry entry, long now) {
            return remaining(entry, now);
        }

        @Override
        public long expireAfterUpdate(UUID key, Entry entry, long now, long currentDuration) {
            return remaining(entry, now);
        }

        @Override
        public long expireAfterRead(UUID key, Entry entry, long now, long currentDuration) {
            return currentDuration;
        }

        private long remaining(Entry entry, long now) {
            long keep = entry.secrets().isPresent() ? staleNanos : unknownNanos;
            return Math.max(0, entry.answeredAt() + keep - now);
        }
    }
}
