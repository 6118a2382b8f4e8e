package io.bitbridge.credentials.crypto;

/** An encrypted value as stored: the id of the key that sealed it beside base64(nonce ‖ ciphertext ‖ tag). */
public record Sealed(String keyId, String cipherText) {
    @Override
    public String toString() {
        return "Sealed[" + keyId + "]";
    }
}
