package io.bitbridge.tracker.service;

import io.bitbridge.events.Person;
import io.bitbridge.events.TaskLinkEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A task key found on a commit, branch or pull request. {@code linkId} is derived from task, target and reference
 * only, so the same finding from any delivery is the same link.
 */
public record TaskLink(String linkId, String taskKey, TaskLinkEvent.Target target, String repositoryKey, String reference,
                       FoundIn foundIn, String title, Person author, String deliveryId, Instant linkedAt) {

    public enum FoundIn {
        COMMIT_MESSAGE, BRANCH_NAME, PULL_REQUEST_TITLE, PULL_REQUEST_DESCRIPTION
    }

    public static TaskLink of(String taskKey, TaskLinkEvent.Target target, String repositoryKey, String reference,
                              FoundIn foundIn, String title, Person author, String deliveryId, Instant linkedAt) {
        String identity = taskKey + "\n" + target + "\n" + repositoryKey + "\n" + reference;
        return new TaskLink(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString(), taskKey, target,
                repositoryKey, reference, foundIn, title, author, deliveryId, linkedAt);
    }

    public String projectKey() {
        return TaskKeys.projectOf(taskKey);
    }

    public TaskLinkEvent toEvent() {
        return new TaskLinkEvent(linkId, taskKey, projectKey(), target, repositoryKey, reference, title,
                author == null ? Person.unknown() : author, deliveryId, linkedAt);
    }
}
