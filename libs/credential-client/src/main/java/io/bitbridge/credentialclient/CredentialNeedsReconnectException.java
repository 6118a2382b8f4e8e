package io.bitbridge.credentialclient;

/** credential-service answered 409: the credential cannot call Bitbucket until an admin reconnects it. */
public class CredentialNeedsReconnectException extends RuntimeException {
    public CredentialNeedsReconnectException(String credentialId) {
        super("credential " + credentialId + " needs reconnecting", null, false, false);
    }
}
