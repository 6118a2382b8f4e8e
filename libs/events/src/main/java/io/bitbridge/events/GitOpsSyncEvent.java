package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/**
 * A change to a GitOps target's branch seen on Bitbucket, on {@link Topics#GITOPS_SYNC} keyed by target.
 * {@code outsideEdit} is true when the commit was not made by gitops-writer (someone edited the repo directly).
 * {@code changedPaths} (relative to the target's path) name every changed file, deleted ones included; {@code files}
 * carry each one's content at {@code toHash} (a deleted file: {@code deleted}, no content); {@code author} and
 * {@code message} are those of the head commit {@code toHash}.
 */
public record GitOpsSyncEvent(
        @Required String eventId,
        @Required String target,
        @Required String repositoryKey,
        @Required String branch,
        String fromHash,
        @Required String toHash,
        @Required List<String> changedPaths,
        boolean outsideEdit,
        String sourceDeliveryId,
        @Required Instant observedAt,
        Person author,
        String message,
        @Required List<SyncedFile> files) {

    public GitOpsSyncEvent {
        changedPaths = changedPaths == null ? List.of() : List.copyOf(changedPaths);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The event as it was before it carried the head commit's author, message and the files' contents. */
    public GitOpsSyncEvent(String eventId, String target, String repositoryKey, String branch, String fromHash, String toHash,
                           List<String> changedPaths, boolean outsideEdit, String sourceDeliveryId, Instant observedAt) {
        this(eventId, target, repositoryKey, branch, fromHash, toHash, changedPaths, outsideEdit, sourceDeliveryId, observedAt,
                null, null, List.of());
    }

    /**
     * One changed file, path relative to the target's path: its content at the new head (UTF-8 text, or Base64 bytes
     * when {@code base64}), or {@code deleted} with no content.
     */
    public record SyncedFile(@Required String path, boolean deleted, String content, boolean base64) {
    }
}
