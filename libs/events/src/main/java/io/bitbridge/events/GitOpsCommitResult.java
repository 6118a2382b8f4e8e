package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one {@link GitOpsCommitRequest}, on {@link Topics#GITOPS_COMMIT_RESULTS} keyed by target.
 * {@code attempts} counts the commits tried, {@code retries} those tried again after the branch moved;
 * {@code changedPaths} are the files the commit changed (relative to the target's path); {@code requestedBy} who asked.
 */
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
        @Required Instant completedAt,
        @Required List<String> changedPaths,
        int retries,
        String requestedBy) {

    public GitOpsCommitResult {
        changedPaths = changedPaths == null ? List.of() : List.copyOf(changedPaths);
    }

    /** The result as it was before it carried the changed paths, the retries and who asked. */
    public GitOpsCommitResult(String requestId, String target, Status status, String repositoryKey, String branch, String commitHash,
                              String parentHash, String reason, int attempts, Instant completedAt) {
        this(requestId, target, status, repositoryKey, branch, commitHash, parentHash, reason, attempts, completedAt, List.of(),
                Math.max(0, attempts - 1), null);
    }

    public enum Status {
        COMMITTED, NO_CHANGE, CONFLICT, REJECTED, FAILED
    }
}
