package io.bitbridge.gateway.support;

import io.bitbridge.events.Provider;
import io.bitbridge.gateway.service.SignatureVerifier;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
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

    /** A request with JSON content type, a fresh delivery id, the event key and, when {@code secret} is set, a signature. */
    public static RequestSpecification signed(Provider provider, String eventKey, byte[] body, String secret, String deliveryId) {
        RequestSpecification request = given().contentType("application/json").body(body)
                .header(deliveryHeader(provider), deliveryId);
        if (eventKey != null) {
            request.header("X-Event-Key", eventKey);
        }
        if (secret != null) {
            request.header("X-Hub-Signature", SignatureVerifier.sign(secret, body));
        }
        return request;
    }

    public static Response deliver(Provider provider, String credentialId, String eventKey, String json, String secret) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return signed(provider, eventKey, body, secret, UUID.randomUUID().toString()).post(path(provider, credentialId));
    }
}
