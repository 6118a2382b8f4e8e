package io.bitbridge.gateway.client;

import io.bitbridge.events.Provider;

import java.time.Instant;

/**
 * A credential's webhook secrets as credential-service's internal API returns them. {@code previous} is
 * still accepted until {@code previousValidUntil} (a rotation overlap); {@code acceptUnsignedWithToken}
 * is the admin's explicit opt-in for senders that cannot sign. {@code serverHost} is a Server credential's base URL
 * host, which names its repositories in event keys (null for Cloud, and from a credential-service that predates it).
 */
public record WebhookSecrets(String current, String previous, Instant previousValidUntil,
                             boolean acceptUnsignedWithToken, Provider provider, String serverHost) {

    /** Whether the previous secret may still verify a delivery at {@code now}. */
    public boolean previousAcceptedAt(Instant now) {
        return previous != null && !previous.isEmpty() && (previousValidUntil == null || now.isBefore(previousValidUntil));
    }

    @Override
    public String toString() {
        // Never print a secret, not even by accident in a log line.
        return "WebhookSecrets[provider=" + provider + ", serverHost=" + serverHost + ", previous=" + (previous != null) + ", previousValidUntil="
                + previousValidUntil + ", acceptUnsignedWithToken=" + acceptUnsignedWithToken + "]";
    }
}
