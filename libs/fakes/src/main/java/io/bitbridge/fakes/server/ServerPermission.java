package io.bitbridge.fakes.server;

import java.util.Locale;
import java.util.Optional;

/** Bitbucket Data Center permissions in increasing power; a higher one implies the lower ones. */
public enum ServerPermission {
    REPO_READ, REPO_WRITE, REPO_ADMIN, PROJECT_ADMIN, SYS_ADMIN;

    public boolean implies(ServerPermission other) {
        return compareTo(other) >= 0;
    }

    /** Repository-level names accepted by {@code permissions/groups?permission=}. */
    static Optional<ServerPermission> repositoryLevel(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "REPO_READ" -> Optional.of(REPO_READ);
            case "REPO_WRITE" -> Optional.of(REPO_WRITE);
            case "REPO_ADMIN" -> Optional.of(REPO_ADMIN);
            default -> Optional.empty();
        };
    }

    static ServerPermission max(ServerPermission a, ServerPermission b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    static ServerPermission min(ServerPermission a, ServerPermission b) {
        if (a == null || b == null) {
            return null;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }
}
