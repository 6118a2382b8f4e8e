package io.bitbridge.events;

import java.time.Instant;

/**
 * A change to a credential, on the compacted {@link Topics#CREDENTIALS_LIFECYCLE} keyed by credential id.
 * Never carries a secret: consumers that need one ask credential-service.
 */
public record CredentialLifecycleEvent(
        @Required String eventId,
        @Required String credentialId,
        @Required Type type,
        @Required CredentialKind kind,
        @Required String name,
        @Required Status status,
        String statusReason,
        String apiBaseUrl,
        String account,
        @Required Instant occurredAt) {

    public enum Type {
        CREATED, UPDATED, STATUS_CHANGED, WEBHOOK_SECRET_ROTATED, DELETED
    }

    public enum Status {
        UP, DOWN
    }
}
