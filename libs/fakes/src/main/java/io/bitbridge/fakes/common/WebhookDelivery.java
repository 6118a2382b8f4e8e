package io.bitbridge.fakes.common;

import java.net.URI;
import java.util.Map;

/**
 * One event to deliver to one hook.
 *
 * @param hookId   the subscription's id (e.g. the Cloud hook UUID)
 * @param eventKey e.g. {@code repo:push}
 * @param url      the receiver
 * @param body     the exact bytes sent and signed
 * @param headers  the product's headers (the signature and attempt number are added per attempt)
 * @param secret   the hook secret, or null: then no signature header is sent
 */
public record WebhookDelivery(String hookId, String eventKey, URI url, byte[] body, Map<String, String> headers,
                              String secret) {
    public WebhookDelivery {
        headers = Map.copyOf(headers);
    }
}
