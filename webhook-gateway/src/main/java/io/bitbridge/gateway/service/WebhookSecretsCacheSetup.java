package io.bitbridge.gateway.service;

import com.github.benmanes.caffeine.cache.Ticker;
import io.bitbridge.gateway.client.WebhookSecretsFetcher;
import io.bitbridge.gateway.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's one {@link WebhookSecretsCache}. Fetches run on a small pool of their own: a delivery thread waiting
 * for a fetch must never be the thread that would run it.
 */
@Singleton
class WebhookSecretsCacheSetup {
    private final ExecutorService fetchers = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1_000),
            runnable -> {
                Thread thread = new Thread(runnable, "webhook-secrets-fetch");
                thread.setDaemon(true);
                return thread;
            });

    @Produces
    @Singleton
    WebhookSecretsCache webhookSecretsCache(WebhookSecretsFetcher fetcher, GatewayConfig config) {
        return new WebhookSecretsCache(id -> fetcher.fetch(id.toString()), config.secrets(), fetchers, Ticker.systemTicker());
    }

    @PreDestroy
    void stop() {
        fetchers.shutdownNow();
    }
}
