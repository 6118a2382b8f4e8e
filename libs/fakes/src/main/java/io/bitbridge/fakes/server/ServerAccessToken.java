package io.bitbridge.fakes.server;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An HTTP access token. A personal token ({@code projectKey == null}) acts as its owner and may be sent as
 * Bearer or as the password in Basic auth; project and repository tokens only work as Bearer and are
 * limited to their project / repository. {@code permission} caps what the token may do; an expired token
 * ({@code expiryDate} passed) no longer authenticates.
 */
public record ServerAccessToken(String id, String name, String secret, String ownerSlug, ServerPermission permission,
                                String projectKey, String repositorySlug, Instant createdDate, Instant expiryDate) {

    /** A token that never expires, with a fresh id (DC ids are 12-digit numbers). */
    public ServerAccessToken(String name, String secret, String ownerSlug, ServerPermission permission,
                             String projectKey, String repositorySlug) {
        this(newId(), name, secret, ownerSlug, permission, projectKey, repositorySlug, Instant.now(), null);
    }

    static String newId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 1_000_000_000_000L));
    }

    boolean isPersonal() {
        return projectKey == null;
    }

    boolean isExpired() {
        return expiryDate != null && !Instant.now().isBefore(expiryDate);
    }
}
