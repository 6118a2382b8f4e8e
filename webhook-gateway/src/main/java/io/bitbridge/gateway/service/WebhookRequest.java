package io.bitbridge.gateway.service;

import io.bitbridge.events.Provider;

/**
 * A webhook HTTP request as the intake sees it, its body read in full ({@code null}: over the gateway's limit, declared
 * or streamed, and not kept).
 */
public record WebhookRequest(Provider provider, String credentialId, String contentType, String eventKey, String deliveryId,
                             String attemptNumber, String signature, String token, byte[] body) {
}
