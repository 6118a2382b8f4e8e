package io.bitbridge.gateway.service;

import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.events.Provider;
import io.bitbridge.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache's policy on a clock the test turns: refresh, stale serving and its bound, unknown ids, the miss budget. */
class WebhookSecretsCacheTest {
    private static final WebhookSecrets OLD = secrets("old");
    private static final WebhookSecrets NEW = secrets("new");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger fetches = new AtomicInteger();
    private final Map<UUID, AtomicReference<Optional<WebhookSecrets>>> known = new ConcurrentHashMap<>();
    private volatile boolean credentialServiceDown;
    private final WebhookSecretsCache cache = new WebhookSecretsCache(this::fetch, new Settings(), Runnable::run, now::get);

    private Optional<WebhookSecrets> fetch(UUID id) {
        fetches.incrementAndGet();
        if (credentialServiceDown) {
            throw new IllegalStateException("credential-service unreachable");
        }
        AtomicReference<Optional<WebhookSecrets>> answer = known.get(id);
        return answer == null ? Optional.empty() : answer.get();
    }

    @Test
    void knownSecretsServeStaleWhileCredentialServiceIsDownButNotBeyondTheBound() {
        UUID id = credential(OLD);
        assertEquals(Optional.of(OLD), cache.lookup(id));
        credentialServiceDown = true;

        advance(Duration.ofMinutes(6)); // past refresh-after: the background refresh fails, the old secrets stay
        assertEquals(Optional.of(OLD), cache.lookup(id));
        advance(Duration.ofMinutes(53)); // 59 minutes after credential-service last answered
        assertEquals(Optional.of(OLD), cache.lookup(id));
        assertTrue(fetches.get() >= 2, "a refresh was tried");

        advance(Duration.ofMinutes(2)); // 61 minutes: past serve-stale-for
        assertThrows(SecretsUnavailableException.class, () -> cache.lookup(id));
    }

    @Test
    void secretsAreRefreshedInTheBackgroundBeforeTheyExpire() {
        UUID id = credential(OLD);
        assertEquals(Optional.of(OLD), cache.lookup(id));
        known.get(id).set(Optional.of(NEW));
        advance(Duration.ofMinutes(4));
        assertEquals(Optional.of(OLD), cache.lookup(id), "fresh enough: not asked again");
        assertEquals(1, fetches.get());

        advance(Duration.ofMinutes(2));
        cache.lookup(id); // due: this read starts the refresh
        assertEquals(Optional.of(NEW), cache.lookup(id));
        assertEquals(2, fetches.get());

        credentialServiceDown = true;
        advance(Duration.ofMinutes(55)); // the stale bound counts from the refreshed answer, 61 minutes after the first
        assertEquals(Optional.of(NEW), cache.lookup(id));
    }

    @Test
    void anAnnouncedChangeIsFetchedAndTheCachedSecretsServeUntilItIsIn() {
        UUID id = credential(OLD);
        cache.lookup(id);
        credentialServiceDown = true;
        cache.refresh(id);
        assertEquals(Optional.of(OLD), cache.lookup(id), "a failed refresh keeps what was cached");

        credentialServiceDown = false;
        known.get(id).set(Optional.of(NEW));
        cache.refresh(id);
        assertEquals(Optional.of(NEW), cache.lookup(id));

        int before = fetches.get();
        cache.refresh(UUID.randomUUID());
        assertEquals(before, fetches.get(), "a credential this gateway never saw is not fetched");
    }

    @Test
    void unknownCredentialsAreRememberedBriefly() {
        UUID id = UUID.randomUUID();
        assertEquals(Optional.empty(), cache.lookup(id));
        assertEquals(Optional.empty(), cache.lookup(id));
        assertEquals(1, fetches.get());
        advance(Duration.ofSeconds(61));
        assertEquals(Optional.empty(), cache.lookup(id));
        assertEquals(2, fetches.get());
    }

    @Test
    void aThousandRandomIdsCostCredentialServiceOnlyTheMissBudget() {
        int refused = 0;
        for (int i = 0; i < 1_000; i++) {
            try {
                cache.lookup(UUID.randomUUID());
            } catch (SecretsUnavailableException e) {
                refused++;
            }
        }
        assertEquals(50, fetches.get(), "the burst, and not one more while the clock stands");
        assertEquals(950, refused);

        advance(Duration.ofSeconds(1));
        for (int i = 0; i < 1_000; i++) {
            try {
                cache.lookup(UUID.randomUUID());
            } catch (SecretsUnavailableException e) {
                // expected for all but the refill
            }
        }
        assertEquals(70, fetches.get(), "one second refills misses-per-second");
        UUID cached = credential(OLD);
        advance(Duration.ofSeconds(1));
        cache.lookup(cached);
        for (int i = 0; i < 100; i++) {
            cache.lookup(cached); // hits never draw on the budget
        }
    }

    private UUID credential(WebhookSecrets secrets) {
        UUID id = UUID.randomUUID();
        known.put(id, new AtomicReference<>(Optional.of(secrets)));
        return id;
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    private static WebhookSecrets secrets(String current) {
        return new WebhookSecrets(current, null, null, null, false, Provider.BITBUCKET_CLOUD, null);
    }

    /** The defaults of application.properties. */
    private static final class Settings implements GatewayConfig.Secrets {
        @Override
        public Duration refreshAfter() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration serveStaleFor() {
            return Duration.ofHours(1);
        }

        @Override
        public Duration unknownFor() {
            return Duration.ofMinutes(1);
        }

        @Override
        public int maximumSize() {
            return 10_000;
        }

        @Override
        public int missesPerSecond() {
            return 20;
        }

        @Override
        public int missBurst() {
            return 50;
        }
    }
}
