package io.bitbridge.gitops.rest;

import io.bitbridge.gitops.repository.CommitRecord;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One entry of a target's audit trail: who asked, the status, the commit made (or the head that already matched),
 * its parent, the files changed (relative to the target's path), retries after conflicts, the reason of a failure.
 */
public record CommitView(String requestId, UUID target, String status, String commit, String parent, List<String> files,
                         int retries, String reason, String requestedBy, String author, String message, Instant requestedAt,
                         Instant completedAt) {
    static CommitView of(CommitRecord r) {
        return new CommitView(r.requestId(), r.targetId(), r.status(), r.commitHash(), r.parentHash(), r.paths(),
                r.retries(), r.reason(), r.requestedBy(), r.author(), r.message(), r.requestedAt(), r.completedAt());
    }
}
