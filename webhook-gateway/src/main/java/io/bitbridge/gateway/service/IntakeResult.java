package io.bitbridge.gateway.service;

/** The answer to one delivery: its verdict, a detail for people (never a secret) and the delivery id used. */
public record IntakeResult(Verdict verdict, String detail, String deliveryId) {
}
