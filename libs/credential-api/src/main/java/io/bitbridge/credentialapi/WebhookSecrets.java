package io.bitbridge.credentialapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.bitbridge.events.Provider;

import java.time.Instant;

/**
 * What the gateway needs to verify a credential's deliveries. {@code previous} is still accepted until
 * {@code previousValidUntil} (a rotation overlap; both null otherwise); {@code acceptUnsignedWithToken} is the admin's
 * explicit opt-in for senders that cannot sign. {@code serverHost} is a Server credential's base URL host, which names
 * its repositories in event keys (null for Cloud).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookSecrets(String current, String previous, Instant previousValidUntil,
                             boolean acceptUnsignedWithToken, Provider provider, String serverHost) {

    /** Whether the previous secret may still verify a delivery at {@code now}. */
    public boolean previousAcceptedAt(Instant now) {
        return previous != null && !previous.isEmpty() && (previousValidUntil == null || now.isBefore(previousValidUntil));
    }

    @Override
    public String toString() {
        // never a secret, not even by accident in a log line
        return "WebhookSecrets[provider=" + provider + ", serverHost=" + serverHost + ", previous=" + (previous != null)
                + ", previousValidUntil=" + previousValidUntil + ", acceptUnsignedWithToken=" + acceptUnsignedWithToken + "]";
    }
}
