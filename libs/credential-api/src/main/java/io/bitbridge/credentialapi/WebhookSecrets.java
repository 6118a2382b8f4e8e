package io.bitbridge.credentialapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.bitbridge.events.Provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway needs to verify a credential's deliveries. A rotation has two phases: first {@code next} is handed
 * out (and accepted) while Bitbridge's hooks are given secrets derived from it, then it becomes {@code current} and the
 * old current becomes {@code previous}, accepted until {@code previousValidUntil} (a previous secret without that
 * instant is never accepted). {@code acceptUnsignedWithToken} is the admin's explicit opt-in for senders that cannot
 * sign. {@code serverHost} is a Server credential's base URL host, which names its repositories in event keys (null for
 * Cloud).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookSecrets(String current, String next, String previous, Instant previousValidUntil,
                             boolean acceptUnsignedWithToken, Provider provider, String serverHost) {

    /** Whether the previous secret may still verify a delivery at {@code now}: only before a known end of the overlap. */
    public boolean previousAcceptedAt(Instant now) {
        return previous != null && !previous.isEmpty() && previousValidUntil != null && now.isBefore(previousValidUntil);
    }

    /** The root secrets a delivery may be signed under at {@code now}: current, next during a rotation, previous in its overlap. */
    public List<String> acceptedRootsAt(Instant now) {
        List<String> roots = new ArrayList<>(3);
        roots.add(current);
        if (next != null && !next.isEmpty()) {
            roots.add(next);
        }
        if (previousAcceptedAt(now)) {
            roots.add(previous);
        }
        return roots;
    }

    @Override
    public String toString() {
        // never a secret, not even by accident in a log line
        return "WebhookSecrets[provider=" + provider + ", serverHost=" + serverHost + ", next=" + (next != null)
                + ", previous=" + (previous != null) + ", previousValidUntil=" + previousValidUntil
                + ", acceptUnsignedWithToken=" + acceptUnsignedWithToken + "]";
    }
}
