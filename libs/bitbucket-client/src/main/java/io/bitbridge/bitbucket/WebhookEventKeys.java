package io.bitbridge.bitbucket;

import io.bitbridge.bitbucket.cloud.CloudWebhookEvents;
import io.bitbridge.bitbucket.server.ServerWebhookEvents;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PullRequestAction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A product's webhook event keys, listed once ({@link CloudWebhookEvents}, {@link ServerWebhookEvents}). The gateway's
 * accepted keys and pull-request actions and the keys credential-service registers on Bitbucket are all read from here.
 */
public final class WebhookEventKeys {
    private final Map<String, WebhookEventKey> byKey = new LinkedHashMap<>();
    private final String pullRequestPrefix;
    private final String push;
    private final Set<String> registered;

    /** {@code pullRequestPrefix}: keys with it that are not listed (added by Bitbucket later) still publish, as UNKNOWN. */
    public WebhookEventKeys(String pullRequestPrefix, List<WebhookEventKey> keys) {
        this.pullRequestPrefix = pullRequestPrefix;
        keys.forEach(k -> {
            if (byKey.put(k.key(), k) != null) {
                throw new IllegalArgumentException("listed twice: " + k.key());
            }
        });
        this.push = keys.stream().filter(k -> k.use() == WebhookEventKey.Use.PUSH).map(WebhookEventKey::key)
                .reduce((a, b) -> {
                    throw new IllegalArgumentException("two push keys: " + a + ", " + b);
                }).orElseThrow();
        this.registered = keys.stream().filter(WebhookEventKey::registered).map(WebhookEventKey::key)
                .collect(Collectors.toUnmodifiableSet());
    }

    public static WebhookEventKeys of(Provider provider) {
        return switch (provider) {
            case BITBUCKET_CLOUD -> CloudWebhookEvents.KEYS;
            case BITBUCKET_SERVER -> ServerWebhookEvents.KEYS;
        };
    }

    /** The keys Bitbridge's hooks subscribe to. */
    public Set<String> registered() {
        return registered;
    }

    public boolean isPush(String key) {
        return push.equals(key);
    }

    public boolean isPing(String key) {
        return use(key).filter(use -> use == WebhookEventKey.Use.PING).isPresent();
    }

    /** The push key and every pull-request key, listed or not yet known. */
    public boolean published(String key) {
        return isPush(key) || key.startsWith(pullRequestPrefix);
    }

    /** The action of a pull-request key; {@link PullRequestAction#UNKNOWN} for keys Bitbucket adds later. */
    public PullRequestAction action(String key) {
        WebhookEventKey entry = byKey.get(key);
        return entry == null || entry.action() == null ? PullRequestAction.UNKNOWN : entry.action();
    }

    /** Whether Bitbucket documents this key (the list, used or not). */
    public boolean known(String key) {
        return byKey.containsKey(key);
    }

    public List<WebhookEventKey> all() {
        return List.copyOf(byKey.values());
    }

    private Optional<WebhookEventKey.Use> use(String key) {
        return Optional.ofNullable(byKey.get(key)).map(WebhookEventKey::use);
    }
}
