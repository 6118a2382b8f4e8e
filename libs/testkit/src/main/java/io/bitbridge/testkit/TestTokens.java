package io.bitbridge.testkit;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.auth.TokenMinter;

import java.time.Duration;
import java.util.Set;

/** Bearer tokens for tests, signed with the key the services under test trust. */
public final class TestTokens {
    public static final String ISSUER = "https://bitbridge.test";

    private TestTokens() {
    }

    public static String admin() {
        return forRole(Roles.ADMIN);
    }

    public static String viewer() {
        return forRole(Roles.VIEWER);
    }

    public static String service() {
        return forRole(Roles.SERVICE);
    }

    public static String forRole(String role) {
        return new TokenMinter(SharedTestInfra.get().keys().getPrivate(), ISSUER)
                .mint("test-" + role, Set.of(role), Duration.ofMinutes(10));
    }

    /** A token signed by a key nobody trusts. */
    public static String forged(String role) {
        return new TokenMinter(TokenMinter.generateKeyPair().getPrivate(), ISSUER)
                .mint("mallory", Set.of(role), Duration.ofMinutes(10));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
