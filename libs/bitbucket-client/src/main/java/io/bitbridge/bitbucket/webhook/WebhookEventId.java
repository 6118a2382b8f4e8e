package io.bitbridge.bitbucket.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The identity of the event a webhook body carries: a digest of the credential, the event key and the body. Bitbucket's
 * retries and manual redeliveries send the same body, and so does anyone replaying a captured delivery under a fresh
 * {@code X-Request-UUID}; all of them get this one id, which becomes the event's CloudEvents {@code id} and is what
 * consumers de-duplicate on (CloudEvents 1.0: events with the same {@code source} and {@code id} are duplicates,
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md#id).
 */
public final class WebhookEventId {
    private WebhookEventId() {
    }

    /** A name-based UUID of SHA-256(credential id, event key, body): the same on every gateway replica. */
    public static String of(String credentialId, String eventKey, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((credentialId + "\n" + eventKey + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return UUID.nameUUIDFromBytes(digest.digest()).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
