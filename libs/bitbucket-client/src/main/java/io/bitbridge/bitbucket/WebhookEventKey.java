package io.bitbridge.bitbucket;

import io.bitbridge.events.PullRequestAction;

/**
 * One {@code X-Event-Key} a Bitbucket product documents and what Bitbridge does with it: whether the gateway publishes
 * it (as a push or a pull-request event with {@code action}) and whether credential-service subscribes hooks to it.
 */
public record WebhookEventKey(String key, Use use, PullRequestAction action, boolean registered) {

    public enum Use {
        /** Published as a push event. */
        PUSH,
        /** Published as a pull-request event with the entry's action. */
        PULL_REQUEST,
        /** Bitbucket's connection test: answered, never published. */
        PING,
        /** Documented by Bitbucket, not used by Bitbridge: known only so metrics can name it. */
        NOT_PUBLISHED
    }

    public static WebhookEventKey push(String key) {
        return new WebhookEventKey(key, Use.PUSH, null, true);
    }

    public static WebhookEventKey pullRequest(String key, PullRequestAction action) {
        return new WebhookEventKey(key, Use.PULL_REQUEST, action, true);
    }

    /** Mapped when it arrives, but never subscribed to: the caller's comment says why. */
    public static WebhookEventKey pullRequestNotRegistered(String key, PullRequestAction action) {
        return new WebhookEventKey(key, Use.PULL_REQUEST, action, false);
    }

    public static WebhookEventKey ping(String key) {
        return new WebhookEventKey(key, Use.PING, null, false);
    }

    public static WebhookEventKey notPublished(String key) {
        return new WebhookEventKey(key, Use.NOT_PUBLISHED, null, false);
    }
}
