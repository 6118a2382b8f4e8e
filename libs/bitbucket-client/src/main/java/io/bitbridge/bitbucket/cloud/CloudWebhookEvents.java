package io.bitbridge.bitbucket.cloud;

import io.bitbridge.bitbucket.WebhookEventKeys;

import java.util.List;

import static io.bitbridge.bitbucket.WebhookEventKey.notPublished;
import static io.bitbridge.bitbucket.WebhookEventKey.pullRequest;
import static io.bitbridge.bitbucket.WebhookEventKey.push;
import static io.bitbridge.events.PullRequestAction.APPROVED;
import static io.bitbridge.events.PullRequestAction.CHANGES_REQUESTED;
import static io.bitbridge.events.PullRequestAction.CHANGES_REQUEST_REMOVED;
import static io.bitbridge.events.PullRequestAction.COMMENT_CREATED;
import static io.bitbridge.events.PullRequestAction.COMMENT_DELETED;
import static io.bitbridge.events.PullRequestAction.COMMENT_REOPENED;
import static io.bitbridge.events.PullRequestAction.COMMENT_RESOLVED;
import static io.bitbridge.events.PullRequestAction.COMMENT_UPDATED;
import static io.bitbridge.events.PullRequestAction.DECLINED;
import static io.bitbridge.events.PullRequestAction.MERGED;
import static io.bitbridge.events.PullRequestAction.OPENED;
import static io.bitbridge.events.PullRequestAction.UNAPPROVED;
import static io.bitbridge.events.PullRequestAction.UPDATED;

/**
 * Bitbucket Cloud's webhook event keys (https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/), the one
 * list the gateway and the hook registration read.
 */
public final class CloudWebhookEvents {
    public static final String PUSH = "repo:push";

    public static final WebhookEventKeys KEYS = new WebhookEventKeys("pullrequest:", List.of(
            push(PUSH),
            pullRequest("pullrequest:created", OPENED),
            pullRequest("pullrequest:updated", UPDATED),
            pullRequest("pullrequest:approved", APPROVED),
            pullRequest("pullrequest:unapproved", UNAPPROVED),
            pullRequest("pullrequest:changes_request_created", CHANGES_REQUESTED),
            pullRequest("pullrequest:changes_request_removed", CHANGES_REQUEST_REMOVED),
            pullRequest("pullrequest:fulfilled", MERGED),
            pullRequest("pullrequest:rejected", DECLINED),
            pullRequest("pullrequest:comment_created", COMMENT_CREATED),
            pullRequest("pullrequest:comment_updated", COMMENT_UPDATED),
            pullRequest("pullrequest:comment_deleted", COMMENT_DELETED),
            pullRequest("pullrequest:comment_resolved", COMMENT_RESOLVED),
            pullRequest("pullrequest:comment_reopened", COMMENT_REOPENED),
            notPublished("repo:fork"), notPublished("repo:updated"), notPublished("repo:transfer"),
            notPublished("repo:commit_comment_created"), notPublished("repo:commit_status_created"),
            notPublished("repo:commit_status_updated"), notPublished("issue:created"), notPublished("issue:updated"),
            notPublished("issue:comment_created"), notPublished("project:updated")));

    private CloudWebhookEvents() {
    }
}
