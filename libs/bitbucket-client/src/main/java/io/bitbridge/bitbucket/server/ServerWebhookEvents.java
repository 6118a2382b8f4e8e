package io.bitbridge.bitbucket.server;

import io.bitbridge.bitbucket.WebhookEventKeys;

import java.util.List;

import static io.bitbridge.bitbucket.WebhookEventKey.notPublished;
import static io.bitbridge.bitbucket.WebhookEventKey.ping;
import static io.bitbridge.bitbucket.WebhookEventKey.pullRequest;
import static io.bitbridge.bitbucket.WebhookEventKey.pullRequestNotRegistered;
import static io.bitbridge.bitbucket.WebhookEventKey.push;
import static io.bitbridge.events.PullRequestAction.APPROVED;
import static io.bitbridge.events.PullRequestAction.CHANGES_REQUESTED;
import static io.bitbridge.events.PullRequestAction.COMMENT_CREATED;
import static io.bitbridge.events.PullRequestAction.COMMENT_DELETED;
import static io.bitbridge.events.PullRequestAction.COMMENT_UPDATED;
import static io.bitbridge.events.PullRequestAction.DECLINED;
import static io.bitbridge.events.PullRequestAction.DELETED;
import static io.bitbridge.events.PullRequestAction.MERGED;
import static io.bitbridge.events.PullRequestAction.OPENED;
import static io.bitbridge.events.PullRequestAction.REVIEWERS_UPDATED;
import static io.bitbridge.events.PullRequestAction.SOURCE_UPDATED;
import static io.bitbridge.events.PullRequestAction.TARGET_UPDATED;
import static io.bitbridge.events.PullRequestAction.UNAPPROVED;
import static io.bitbridge.events.PullRequestAction.UPDATED;

/**
 * Bitbucket Server / Data Center's webhook event keys
 * (https://confluence.atlassian.com/bitbucketserver/event-payload-938025882.html), the one list the gateway and the
 * hook registration read.
 */
public final class ServerWebhookEvents {
    public static final String PUSH = "repo:refs_changed";
    public static final String PING = "diagnostics:ping";

    public static final WebhookEventKeys KEYS = new WebhookEventKeys("pr:", List.of(
            push(PUSH),
            pullRequest("pr:opened", OPENED),
            pullRequest("pr:modified", UPDATED),
            pullRequest("pr:from_ref_updated", SOURCE_UPDATED),
            pullRequest("pr:to_ref_updated", TARGET_UPDATED),
            pullRequest("pr:reviewer:updated", REVIEWERS_UPDATED),
            pullRequest("pr:reviewer:approved", APPROVED),
            pullRequest("pr:reviewer:unapproved", UNAPPROVED),
            pullRequest("pr:reviewer:needs_work", CHANGES_REQUESTED),
            // Newer Data Center releases deliver this name for "needs work"; Data Center 9's repository hooks do not
            // offer it as a subscription (a hook naming it is refused), so it is mapped when it comes, never registered.
            pullRequestNotRegistered("pr:reviewer:changes_requested", CHANGES_REQUESTED),
            pullRequest("pr:merged", MERGED),
            pullRequest("pr:declined", DECLINED),
            pullRequest("pr:deleted", DELETED),
            pullRequest("pr:comment:added", COMMENT_CREATED),
            pullRequest("pr:comment:edited", COMMENT_UPDATED),
            pullRequest("pr:comment:deleted", COMMENT_DELETED),
            // "Test connection" sends it whatever the hook subscribes to: it needs no registration.
            ping(PING),
            notPublished("repo:modified"), notPublished("repo:forked"), notPublished("repo:comment:added"),
            notPublished("repo:comment:edited"), notPublished("repo:comment:deleted"), notPublished("repo:secret_detected"),
            notPublished("mirror:repo_synchronized")));

    private ServerWebhookEvents() {
    }
}
