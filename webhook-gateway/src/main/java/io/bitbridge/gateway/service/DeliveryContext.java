package io.bitbridge.gateway.service;

import io.bitbridge.events.Provider;

import java.time.Instant;

/** What the HTTP request says about a delivery, beside its body. */
public record DeliveryContext(Provider provider, String credentialId, String eventKey, String deliveryId, int attempt,
                              Instant receivedAt) {
}
