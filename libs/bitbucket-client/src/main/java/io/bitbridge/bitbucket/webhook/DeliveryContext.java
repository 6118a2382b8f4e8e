package io.bitbridge.bitbucket.webhook;

import io.bitbridge.events.Provider;

import java.time.Instant;

/**
 * What the HTTP request and its credential say about a delivery, beside its body. {@code serverHost} is the host of
 * a Bitbucket Server credential's base URL (credential-service knows it), null for Cloud or when not told.
 */
public record DeliveryContext(Provider provider, String credentialId, String eventKey, String deliveryId, int attempt,
                              Instant receivedAt, String serverHost) {
}
