package io.bitbridge.gateway.service;

import io.bitbridge.events.Provider;

import java.util.Set;

/** Which Bitbucket event keys the gateway publishes, and how keys are named in metrics. */
public final class EventKeys {
    public static final String CLOUD_PUSH = "repo:push";
    public static final String SERVER_PUSH = "repo:refs_changed";
    public static final String SERVER_PING = "diagnostics:ping";

    /**
     * Keys Bitbucket documents; only these appear as a metric label. Anything else is counted as
     * {@code other}, because the header is chosen by whoever sends the request and must not be able to
     * create unbounded metric series.
     */
    private static final Set<String> KNOWN = Set.of(
            "repo:push", "repo:fork", "repo:updated", "repo:transfer", "repo:commit_comment_created",
            "repo:commit_status_created", "repo:commit_status_updated", "issue:created", "issue:updated",
            "issue:comment_created", "project:updated",
            "pullrequest:created", "pullrequest:updated", "pullrequest:approved", "pullrequest:unapproved",
            "pullrequest:changes_request_created", "pullrequest:changes_request_removed", "pullrequest:fulfilled",
            "pullrequest:rejected", "pullrequest:comment_created", "pullrequest:comment_updated",
            "pullrequest:comment_deleted", "pullrequest:comment_resolved", "pullrequest:comment_reopened",
            "repo:refs_changed", "repo:modified", "repo:forked", "repo:comment:added", "repo:comment:edited",
            "repo:comment:deleted", "repo:secret_detected", "mirror:repo_synchronized", "diagnostics:ping",
            "pr:opened", "pr:from_ref_updated", "pr:to_ref_updated", "pr:modified", "pr:reviewer:updated",
            "pr:reviewer:approved", "pr:reviewer:unapproved", "pr:reviewer:needs_work", "pr:reviewer:changes_requested",
            "pr:merged", "pr:declined", "pr:deleted",
            "pr:comment:added", "pr:comment:edited", "pr:comment:deleted");

    private EventKeys() {
    }

    /** Cloud: {@code repo:push} and every {@code pullrequest:*}; Server: {@code repo:refs_changed} and every {@code pr:*}. */
    public static boolean published(Provider provider, String eventKey) {
        return switch (provider) {
            case BITBUCKET_CLOUD -> CLOUD_PUSH.equals(eventKey) || eventKey.startsWith("pullrequest:");
            case BITBUCKET_SERVER -> SERVER_PUSH.equals(eventKey) || eventKey.startsWith("pr:");
        };
    }

    public static boolean isPush(Provider provider, String eventKey) {
        return provider == Provider.BITBUCKET_CLOUD ? CLOUD_PUSH.equals(eventKey) : SERVER_PUSH.equals(eventKey);
    }

    public static String metricLabel(String eventKey) {
        if (eventKey == null) {
            return "none";
        }
        return KNOWN.contains(eventKey) ? eventKey : "other";
    }
}
