package io.bitbridge.fakes.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhooks of one scope: a repository, or a project (whose hooks every repository in it inherits).
 * {@code scopeType} is what DC reports: {@code repository} or {@code project}.
 */
public final class WebhookScope {

    private final String scopeType;
    private final Map<Integer, ServerWebhook> webhooks = new LinkedHashMap<>();

    WebhookScope(String scopeType) {
        this.scopeType = scopeType;
    }

    public String scopeType() {
        return scopeType;
    }

    public synchronized List<ServerWebhook> all() {
        return new ArrayList<>(webhooks.values());
    }

    public synchronized ServerWebhook get(int webhookId) {
        return webhooks.get(webhookId);
    }

    public synchronized void put(ServerWebhook webhook) {
        webhooks.put(webhook.id(), webhook);
    }

    synchronized boolean remove(int webhookId) {
        return webhooks.remove(webhookId) != null;
    }
}
