package io.bitbridge.buildtrigger.repository;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One stored decision and how far its build got. {@code target} names the repository and ref as the push did, for the
 * commit status (null on rows stored before it was kept).
 */
public record TriggerRow(UUID id, String repositoryKey, String ref, String commit, String job, String instance, String tag,
                         String taggedCommit, Map<String, String> parameters, State state, String reason, String queueUrl,
                         String buildUrl, Integer buildNumber, String result, int rebuilds, String credentialId,
                         String sourceDeliveryId, Instant createdAt, Instant updatedAt, StatusTarget target) {

    /** The repository's owner (workspace or project key) and slug as Bitbucket spells them, and the ref's type. */
    public record StatusTarget(String owner, String slug, io.bitbridge.events.RefType refType) {
    }

    public enum State {
        /** Written, Jenkins being called (left so only by a crash mid-call). */
        CALLING,
        QUEUED,
        STARTED,
        COMPLETED,
        FAILED,
        /** Not allowed by the configuration; never sent to Jenkins. */
        REFUSED;

        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == REFUSED;
        }
    }

    public TriggerRow {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /** This row as {@link TriggerRepository#queued} stores it: QUEUED at {@code newQueueUrl}. */
    public TriggerRow queuedAt(String newQueueUrl) {
        return new TriggerRow(id, repositoryKey, ref, commit, job, instance, tag, taggedCommit, parameters, State.QUEUED, reason,
                newQueueUrl, buildUrl, buildNumber, result, rebuilds, credentialId, sourceDeliveryId, createdAt, Instant.now(), target);
    }

    /** This row as {@link TriggerRepository#update} will store it: null arguments keep the current values. */
    public TriggerRow moved(State newState, String newReason, String newBuildUrl, Integer newBuildNumber, String newResult) {
        return new TriggerRow(id, repositoryKey, ref, commit, job, instance, tag, taggedCommit, parameters, newState,
                newReason == null ? reason : newReason, queueUrl, newBuildUrl == null ? buildUrl : newBuildUrl,
                newBuildNumber == null ? buildNumber : newBuildNumber, newResult == null ? result : newResult, rebuilds,
                credentialId, sourceDeliveryId, createdAt, Instant.now(), target);
    }
}
