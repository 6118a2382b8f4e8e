package io.bitbridge.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.common.auth.ClientCredentialsEndpoint;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.auth.TokenMinter;
import io.bitbridge.events.EventJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Bearer tokens for tests. People's tokens ({@link #admin()}, {@link #viewer()}) are signed with the key the services
 * under test trust; a service's token ({@link #ofService}) comes from the build's client-credentials token endpoint,
 * the way services get theirs.
 */
public final class TestTokens {
    public static final String ISSUER = "https://bitbridge.test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestTokens() {
    }

    static TokenMinter minter(PrivateKey key) {
        return new TokenMinter(key, ISSUER, TokenMinter.DEFAULT_AUDIENCE);
    }

    public static String admin() {
        return forRole(Roles.ADMIN);
    }

    public static String viewer() {
        return forRole(Roles.VIEWER);
    }

    public static String forRole(String role) {
        return signed("test-" + role, role);
    }

    /** A token signed with the trusted key for any subject and roles (a caller that no token endpoint would make). */
    public static String signed(String subject, String... roles) {
        return minter(SharedTestInfra.get().keys().getPrivate()).mint(subject, Set.of(roles), Duration.ofMinutes(10));
    }

    /** A properly signed token of the right issuer, but made for another audience. */
    public static String forAudience(String role, String audience) {
        return new TokenMinter(SharedTestInfra.get().keys().getPrivate(), ISSUER, audience)
                .mint("test-" + role, Set.of(role), Duration.ofMinutes(10));
    }

    /** A token signed by a key nobody trusts. */
    public static String forged(String role) {
        return minter(TokenMinter.generateKeyPair().getPrivate()).mint("mallory", Set.of(role), Duration.ofMinutes(10));
    }

    /**
     * The token a service identity gets from the token endpoint with its client secret (client-credentials grant,
     * HTTP Basic client authentication): {@code sub} is the service's name, the scopes those it is granted.
     */
    public static String ofService(String serviceName) {
        SharedTestInfra infra = SharedTestInfra.get();
        String basic = Base64.getEncoder().encodeToString((serviceName + ":" + infra.clientSecret(serviceName))
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(infra.tokenEndpointUrl() + ClientCredentialsEndpoint.TOKEN_PATH))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the token endpoint answered " + response.statusCode() + ": " + response.body());
            }
            return EventJson.mapper().readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("the token endpoint did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /**
     * Whether an {@code Authorization} header holds a bearer token signed with the test key, for Bitbridge's audience,
     * whose {@code groups} claim holds {@code roleOrScope}: how an in-test fake of a Bitbridge service checks its callers.
     */
    public static boolean grants(String authorizationHeader, String roleOrScope) {
        String[] parts = authorizationHeader == null || !authorizationHeader.startsWith("Bearer ") ? new String[0]
                : authorizationHeader.substring(7).split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(SharedTestInfra.get().keys().getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = EventJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode audience = claims.path("aud");
            boolean forBitbridge = audience.isArray() ? containsText(audience, TokenMinter.DEFAULT_AUDIENCE)
                    : TokenMinter.DEFAULT_AUDIENCE.equals(audience.asText());
            return forBitbridge && containsText(claims.path("groups"), roleOrScope);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean containsText(JsonNode array, String text) {
        for (JsonNode item : array) {
            if (text.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }
}
