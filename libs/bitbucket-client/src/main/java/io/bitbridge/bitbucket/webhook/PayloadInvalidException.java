package io.bitbridge.bitbucket.webhook;

/** Valid JSON that lacks what its event key requires (answered 422). The message names what is missing. */
public class PayloadInvalidException extends RuntimeException {
    public PayloadInvalidException(String message) {
        super(message, null, false, false);
    }
}
