package io.bitbridge.events;

import java.time.Instant;

/** A verified pull-request delivery, on {@link Topics#PULL_REQUEST}. */
public record PullRequestEvent(
        @Required String deliveryId,
        int attempt,
        @Required Provider provider,
        @Required String credentialId,
        @Required String eventKey,
        @Required PullRequestAction action,
        @Required RepositoryRef repository,
        @Required Person actor,
        @Required PullRequest pullRequest,
        @Required Instant receivedAt) {

    public PullRequestEvent {
        actor = actor == null ? Person.unknown() : actor;
    }
}
