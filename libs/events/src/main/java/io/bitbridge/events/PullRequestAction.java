package io.bitbridge.events;

/**
 * What happened to a pull request. Every Bitbucket Cloud {@code pullrequest:*} and Server {@code pr:*}
 * event key maps to exactly one action; a key not known yet maps to {@link #UNKNOWN} and the raw key
 * travels in the event beside it.
 */
public enum PullRequestAction {
    OPENED,
    UPDATED,
    SOURCE_UPDATED,
    TARGET_UPDATED,
    REVIEWERS_UPDATED,
    APPROVED,
    UNAPPROVED,
    CHANGES_REQUESTED,
    CHANGES_REQUEST_REMOVED,
    MERGED,
    DECLINED,
    DELETED,
    COMMENT_CREATED,
    COMMENT_UPDATED,
    COMMENT_DELETED,
    COMMENT_RESOLVED,
    COMMENT_REOPENED,
    UNKNOWN
}
