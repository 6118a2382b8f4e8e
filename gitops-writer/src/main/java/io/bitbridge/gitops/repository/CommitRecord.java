package io.bitbridge.gitops.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One commit request and, once done, its outcome: the idempotency row and the audit trail entry. {@code status} is
 * {@link #PENDING} while being written, then a {@code GitOpsCommitResult.Status} name; {@code paths} are the files the
 * commit changed, relative to the target's path.
 */
public record CommitRecord(String requestId, UUID targetId, String repositoryKey, String status, String requestedBy, String author, String message,
                           List<String> paths, String commitHash, String parentHash, String reason, int attempts,
                           Instant requestedAt, Instant completedAt) {
    public static final String PENDING = "PENDING";

    public CommitRecord {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /**
     * Commits attempted again after the branch moved: every attempt but the first, except when recomputing found
     * nothing left to change (then every failed attempt was retried into the no-op).
     */
    public int retries() {
        return "NO_CHANGE".equals(status) ? attempts : Math.max(0, attempts - 1);
    }

    public boolean done() {
        return !PENDING.equals(status);
    }
}
