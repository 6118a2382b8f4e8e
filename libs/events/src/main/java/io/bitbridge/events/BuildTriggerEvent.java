package io.bitbridge.events;

import java.time.Instant;
import java.util.Map;

/**
 * The life of one Jenkins build that a commit-message tag asked for, on {@link Topics#BUILDS_TRIGGERS}
 * keyed by repository key. {@code triggerId} is the idempotency key: repository, ref, head commit and job.
 */
public record BuildTriggerEvent(
        @Required String triggerId,
        @Required Status status,
        @Required String repositoryKey,
        @Required String branch,
        @Required String commitHash,
        @Required String tag,
        @Required String jenkinsInstance,
        @Required String job,
        @Required Map<String, String> parameters,
        String queueUrl,
        String buildUrl,
        Integer buildNumber,
        String reason,
        String sourceDeliveryId,
        @Required Instant occurredAt) {

    public BuildTriggerEvent {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    /**
     * {@code REFUSED}: the configuration does not allow the job (allow-list, no rule for the repository or branch);
     * never sent to Jenkins, {@code reason} says why. {@code FAILED}: Jenkins refused or could not be reached.
     */
    public enum Status {
        REQUESTED, QUEUED, DEDUPLICATED, STARTED, COMPLETED, FAILED, REFUSED
    }
}
