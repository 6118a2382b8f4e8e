package io.bitbridge.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.common.auth.ClientCredentialsEndpoint;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.auth.TokenMinter;
import io.bitbridge.events.EventJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientCredentialsEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final KeyPair KEYS = TokenMinter.generateKeyPair();
    private static ClientCredentialsEndpoint endpoint;
    private static String gatewaySecret;

    @BeforeAll
    static void start() {
        endpoint = ClientCredentialsEndpoint.start(new TokenMinter(KEYS.getPrivate(), "https://bitbridge.local", "bitbridge"),
                Duration.ofMinutes(5), 0);
        gatewaySecret = endpoint.register("webhook-gateway", Set.of(Roles.READ_WEBHOOK_SECRETS));
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    @Test
    void aClientWithItsSecretGetsASignedTokenNamingItWithItsScopesAndTheAudience() throws Exception {
        HttpResponse<String> response = post(basic("webhook-gateway", gatewaySecret), "grant_type=client_credentials");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
        JsonNode body = EventJson.mapper().readTree(response.body());
        assertEquals("Bearer", body.path("token_type").asText());
        assertEquals(300, body.path("expires_in").asLong());
        String[] parts = body.path("access_token").asText().split("\\.");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(KEYS.getPublic());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])));
        JsonNode claims = EventJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("webhook-gateway", claims.path("sub").asText());
        assertEquals("bitbridge", claims.path("aud").asText());
        assertEquals(List.of(Roles.READ_WEBHOOK_SECRETS, Roles.SERVICE),
                List.of(claims.path("groups").get(0).asText(), claims.path("groups").get(1).asText()));
        assertEquals(2, claims.path("groups").size());
    }

    @Test
    void theSecretMayComeInTheFormInstead() throws Exception {
        assertEquals(200, post(null, "grant_type=client_credentials&client_id=webhook-gateway&client_secret=" + gatewaySecret)
                .statusCode());
    }

    @Test
    void aWrongSecretOrAnUnknownClientIsInvalidClient() throws Exception {
        for (String authorization : List.of(basic("webhook-gateway", gatewaySecret + "x"), basic("scraper-service", gatewaySecret))) {
            HttpResponse<String> response = post(authorization, "grant_type=client_credentials");
            assertEquals(401, response.statusCode());
            assertEquals("invalid_client", EventJson.mapper().readTree(response.body()).path("error").asText());
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        }
        assertEquals(401, post(null, "grant_type=client_credentials&client_id=webhook-gateway").statusCode());
    }

    @Test
    void otherGrantsScopesBeyondTheClientsAndOtherMethodsAreRefused() throws Exception {
        String authorization = basic("webhook-gateway", gatewaySecret);
        assertError(post(authorization, "grant_type=password&username=a&password=b"), 400, "unsupported_grant_type");
        assertError(post(authorization, "grant_type=client_credentials&scope=" + Roles.READ_AUTHORIZATIONS), 400, "invalid_scope");
        assertError(post(authorization, "grant_type=client_credentials&grant_type=client_credentials"), 400, "invalid_request");
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + ClientCredentialsEndpoint.TOKEN_PATH))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }

    @Test
    void itListensOnLoopbackOnly() {
        assertTrue(endpoint.baseUrl().getHost().equals("127.0.0.1") || endpoint.baseUrl().getHost().equals("0:0:0:0:0:0:0:1"),
                endpoint.baseUrl().toString());
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, EventJson.mapper().readTree(response.body()).path("error").asText());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String authorization, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + ClientCredentialsEndpoint.TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
