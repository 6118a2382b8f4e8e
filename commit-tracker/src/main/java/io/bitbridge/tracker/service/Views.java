package io.bitbridge.tracker.service;

import java.time.Instant;
import java.util.List;

/** What the API answers. */
public final class Views {
    private Views() {
    }

    /** One page of a list and the cursor of the next (null on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    public record Author(String name, String email, String accountId) {
    }

    public record CommitView(String repositoryKey, String hash, String message, Author author, Instant date,
                             List<String> parents, List<String> paths, List<String> branches, String firstDeliveryId,
                             Instant firstSeenAt) {
    }

    /** {@code incompleteUpdates}: pushes to the branch whose commit list could not be completed (yet). */
    public record BranchView(String name, String head, Instant createdAt, Instant deletedAt, Instant updatedAt,
                             long forcedUpdates, Long mergedByPullRequest, long incompleteUpdates) {
    }

    public record Endpoint(String repositoryKey, String branch, String commit) {
    }

    public record PullRequestView(String repositoryKey, long id, String title, String description, String state,
                                  Author author, Endpoint source, Endpoint destination, String mergeCommit, boolean fork,
                                  Instant createdAt, Instant updatedAt, List<ReviewerView> reviewers,
                                  List<HistoryEntry> history) {
    }

    /**
     * A reviewer as the newest delivery listed them: status {@code APPROVED}, {@code CHANGES_REQUESTED}, {@code UNAPPROVED}
     * or {@code UNKNOWN} (when each status was reached is in the pull request's history: action, actor, time).
     */
    public record ReviewerView(String identity, String name, String accountId, String status, boolean approved) {
    }

    public record HistoryEntry(String action, String state, Author actor, String sourceCommit, String mergeCommit,
                               Instant at, String deliveryId) {
    }

    public record TaskSummary(String key, String project, long commits, long branches, long pullRequests,
                              Instant lastActivity) {
    }

    public record LinkView(String target, String repositoryKey, String reference, String foundIn, String title,
                           Author author, Instant linkedAt) {
    }

    public record TaskView(String key, String project, List<LinkView> links, String nextCursor) {
    }

    public record MemberView(String identity, String displayName, String email, String accountId, List<String> aliases,
                             Instant firstActivity, Instant lastActivity) {
    }
}
