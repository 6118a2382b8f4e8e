package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/**
 * A change to a GitOps target's branch seen on Bitbucket, on {@link Topics#GITOPS_SYNC} keyed by target.
 * {@code outsideEdit} is true when the commit was not made by gitops-writer (someone edited the repo directly).
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
        @Required Instant observedAt) {

    public GitOpsSyncEvent {
        changedPaths = changedPaths == null ? List.of() : List.copyOf(changedPaths);
    }
}
