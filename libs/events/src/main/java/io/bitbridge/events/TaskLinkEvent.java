package io.bitbridge.events;

import java.time.Instant;

/**
 * A task id (such as {@code GAME-789}) found on a commit, branch or pull request, on {@link Topics#TASKS_LINKS}
 * keyed by task id. {@code linkId} is stable for the same task and target, so re-emitting is harmless.
 */
public record TaskLinkEvent(
        @Required String linkId,
        @Required String taskId,
        @Required String projectKey,
        @Required Target target,
        @Required String repositoryKey,
        @Required String reference,
        String title,
        @Required Person author,
        String sourceDeliveryId,
        @Required Instant linkedAt) {

    public enum Target {
        COMMIT, BRANCH, PULL_REQUEST
    }
}
