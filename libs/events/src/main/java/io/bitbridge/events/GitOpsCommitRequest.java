package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/**
 * Asks gitops-writer to change several files of a GitOps target in one atomic commit,
 * on {@link Topics#GITOPS_COMMIT_REQUESTS} keyed by target. {@code requestId} is the idempotency key:
 * a request seen twice makes one commit. With {@code fullSet} the {@code PUT} files are every file under the target's
 * path (a file there and not in the list is deleted); without it the list is a patch (puts and deletes).
 */
public record GitOpsCommitRequest(
        @Required String requestId,
        @Required String target,
        @Required String message,
        Person author,
        @Required List<FileChange> files,
        String expectedParent,
        String requestedBy,
        @Required Instant requestedAt,
        boolean fullSet) {

    public GitOpsCommitRequest {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A patch request (the record as it was before {@code fullSet}). */
    public GitOpsCommitRequest(String requestId, String target, String message, Person author, List<FileChange> files,
                               String expectedParent, String requestedBy, Instant requestedAt) {
        this(requestId, target, message, author, files, expectedParent, requestedBy, requestedAt, false);
    }

    /**
     * One file of the commit, path relative to the target's path. {@code content} is UTF-8 text unless
     * {@code base64} says it is Base64 bytes; {@code DELETE} carries no content.
     */
    public record FileChange(@Required String path, @Required Operation operation, String content, boolean base64,
                             boolean executable) {
    }

    public enum Operation {
        PUT, DELETE
    }
}
