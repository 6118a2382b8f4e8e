package io.bitbridge.credentialclient;

/** credential-service did not answer usefully (down, slow, 5xx): the delivery cannot be verified now. */
public class CredentialServiceUnavailableException extends RuntimeException {
    public CredentialServiceUnavailableException(String message) {
        super(message, null, false, false);
    }
}
