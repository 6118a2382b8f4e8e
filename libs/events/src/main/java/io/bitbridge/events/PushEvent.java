package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/**
 * A verified push, on {@link Topics#PUSH} as delivered and on {@link Topics#PUSH_EXPANDED} once
 * scraper-service has completed every change's commit list and paths.
 * {@code deliveryId} is Bitbucket's delivery id, for tracing; the event's identity is its CloudEvents {@code ce_id}, derived
 * by the gateway from the credential, event key and body, so a retry, a redelivery and a replay under a fresh delivery id
 * are one event, and consumers de-duplicate on that.
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
