package io.bitbridge.gateway.service;

import io.bitbridge.bitbucket.WebhookEventKeys;
import io.bitbridge.events.Provider;

/**
 * Which Bitbucket event keys the gateway publishes, and how keys are named in metrics: both read from each product's
 * one list ({@link io.bitbridge.bitbucket.cloud.CloudWebhookEvents}, {@link io.bitbridge.bitbucket.server.ServerWebhookEvents}).
 */
public final class EventKeys {
    private EventKeys() {
    }

    /** Cloud: {@code repo:push} and every {@code pullrequest:*}; Server: {@code repo:refs_changed} and every {@code pr:*}. */
    public static boolean published(Provider provider, String eventKey) {
        return WebhookEventKeys.of(provider).published(eventKey);
    }

    public static boolean isPush(Provider provider, String eventKey) {
        return WebhookEventKeys.of(provider).isPush(eventKey);
    }

    public static boolean isPing(Provider provider, String eventKey) {
        return WebhookEventKeys.of(provider).isPing(eventKey);
    }

    /**
     * A key either product documents, else {@code other}: the header is chosen by whoever sends the request and must
     * not be able to create unbounded metric series.
     */
    public static String metricLabel(String eventKey) {
        if (eventKey == null) {
            return "none";
        }
        for (Provider provider : Provider.values()) {
            if (WebhookEventKeys.of(provider).known(eventKey)) {
                return eventKey;
            }
        }
        return "other";
    }
}
