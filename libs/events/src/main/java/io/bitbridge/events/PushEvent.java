package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/**
 * A verified push, on {@link Topics#PUSH} as delivered and on {@link Topics#PUSH_EXPANDED} once
 * scraper-service has completed every change's commit list and paths.
 * {@code deliveryId} is Bitbucket's delivery id: a redelivery carries the same id, so consumers de-duplicate on it.
 */
public record PushEvent(
        @Required String deliveryId,
        int attempt,
        @Required Provider provider,
        @Required String credentialId,
        @Required String eventKey,
        @Required RepositoryRef repository,
        @Required Person actor,
        @Required List<RefChange> changes,
        @Required Instant receivedAt) {

    public PushEvent {
        actor = actor == null ? Person.unknown() : actor;
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
