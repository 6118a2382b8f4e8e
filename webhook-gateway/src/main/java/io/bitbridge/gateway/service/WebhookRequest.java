package io.bitbridge.gateway.service;

import io.bitbridge.events.Provider;

import java.io.InputStream;

/** A webhook HTTP request as the intake sees it; the body is still unread. */
public record WebhookRequest(Provider provider, String credentialId, String contentType, String contentLength,
                             String eventKey, String deliveryId, String attemptNumber, String signature, String token,
                             InputStream body) {
}
