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

    /**
     * Whether an {@code Authorization} header holds a bearer token signed with the test key whose {@code groups} claim
     * holds {@code role}: how an in-test fake of a Bitbridge service checks its callers.
     */
    public static boolean grants(String authorizationHeader, String role) {
        String[] parts = authorizationHeader == null || !authorizationHeader.startsWith("Bearer ") ? new String[0]
                : authorizationHeader.substring(7).split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            java.security.Signature rs256 = java.security.Signature.getInstance("SHA256withRSA");
            rs256.initVerify(SharedTestInfra.get().keys().getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (!rs256.verify(java.util.Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            com.fasterxml.jackson.databind.JsonNode claims = io.bitbridge.events.EventJson.mapper()
                    .readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            for (com.fasterxml.jackson.databind.JsonNode group : claims.path("groups")) {
                if (role.equals(group.asText())) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
