package io.bitbridge.gateway.repository;

import java.time.Instant;

/** One webhook delivery as the deliveries log keeps it (no body, no headers, no secret). */
public record DeliveryRecord(String credentialId, Instant receivedAt, String provider, String eventKey, String deliveryId,
                             int attempt, String verdict, int status, long latencyMs) {
}
