package io.bitbridge.gateway.service;

/** No usable webhook secrets for a credential right now: the delivery is answered 503 and comes back later. */
public class SecretsUnavailableException extends RuntimeException {
    public SecretsUnavailableException(String message) {
        super(message);
    }
}
