package io.bitbridge.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.webhook.CloudPayloadMapper;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.bitbucket.webhook.ServerPayloadMapper;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.gateway.service.SignatureVerifier;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Sends webhook deliveries to the gateway under test the way Bitbucket does. */
public final class Webhooks {
    private Webhooks() {
    }

    public static String path(Provider provider, String credentialId) {
        return "/webhooks/" + provider.slug() + "/" + credentialId;
    }

    public static String deliveryHeader(Provider provider) {
        return provider == Provider.BITBUCKET_CLOUD ? "X-Request-UUID" : "X-Request-Id";
    }

    /**
     * The secret Bitbucket holds for the hook that sends {@code body}: the one derived from the credential's root secret
     * for the repository the body names. A body naming no repository gets the root secret itself, which no hook has.
     */
    public static String hookSecret(Provider provider, String rootSecret, byte[] body) {
        List<HookScope> scopes = scopes(provider, body);
        return scopes.isEmpty() ? rootSecret : scopes.get(0).secret(rootSecret);
    }

    /** The {@code ?token=} of the hook that sends {@code body} (see {@link #hookSecret}). */
    public static String urlToken(Provider provider, String rootSecret, byte[] body) {
        List<HookScope> scopes = scopes(provider, body);
        return scopes.isEmpty() ? rootSecret : scopes.get(0).urlToken(rootSecret);
    }

    private static List<HookScope> scopes(Provider provider, byte[] body) {
        try {
            JsonNode json = EventJson.mapper().readTree(body);
            if (json == null || !json.isObject()) {
                return List.of();
            }
            return provider == Provider.BITBUCKET_CLOUD ? new CloudPayloadMapper().hookScopes(json) : new ServerPayloadMapper().hookScopes(json);
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * A request with JSON content type, a fresh delivery id, the event key and, when {@code rootSecret} is set, a
     * signature by the hook of the body's repository under that credential secret.
     */
    public static RequestSpecification signed(Provider provider, String eventKey, byte[] body, String rootSecret, String deliveryId) {
        RequestSpecification request = signedWithHookSecret(provider, eventKey, body, null, deliveryId);
        if (rootSecret != null) {
            request.header("X-Hub-Signature", SignatureVerifier.sign(hookSecret(provider, rootSecret, body), body));
        }
        return request;
    }

    /** A request signed with exactly {@code hookSecret} (none when null), as a hook holding that secret would send it. */
    public static RequestSpecification signedWithHookSecret(Provider provider, String eventKey, byte[] body, String hookSecret, String deliveryId) {
        RequestSpecification request = given().contentType("application/json").body(body)
                .header(deliveryHeader(provider), deliveryId);
        if (eventKey != null) {
            request.header("X-Event-Key", eventKey);
        }
        if (hookSecret != null) {
            request.header("X-Hub-Signature", SignatureVerifier.sign(hookSecret, body));
        }
        return request;
    }

    public static Response deliver(Provider provider, String credentialId, String eventKey, String json, String secret) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return signed(provider, eventKey, body, secret, UUID.randomUUID().toString()).post(path(provider, credentialId));
    }
}
