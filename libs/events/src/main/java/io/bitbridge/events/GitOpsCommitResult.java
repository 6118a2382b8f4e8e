package io.bitbridge.events;

import java.time.Instant;

/** The outcome of one {@link GitOpsCommitRequest}, on {@link Topics#GITOPS_COMMIT_RESULTS} keyed by target. */
public record GitOpsCommitResult(
        @Required String requestId,
        @Required String target,
        @Required Status status,
        String repositoryKey,
        String branch,
        String commitHash,
        String parentHash,
        String reason,
        int attempts,
        @Required Instant completedAt) {

    public enum Status {
        COMMITTED, NO_CHANGE, CONFLICT, REJECTED, FAILED
    }
}
