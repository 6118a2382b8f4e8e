package io.bitbridge.credentials.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Proof Key for Code Exchange (RFC 7636, https://www.rfc-editor.org/rfc/rfc7636) with {@code S256}: a stolen
 * authorization code is worthless without the verifier. The verifier of a consent flow is derived from its nonce with a
 * server-side key, so it is never stored nor sent anywhere but to the token endpoint: 43 characters of base64url, the
 * shortest the RFC allows (§4.1), from 256 bits.
 */
public final class Pkce {
    public static final String METHOD = "S256";

    private final byte[] key;

    public Pkce(byte[] key) {
        this.key = key.clone();
    }

    /** The {@code code_verifier} of the flow with this nonce. */
    public String verifier(String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return base64url(mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code code_challenge} = BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
    public static String challenge(String verifier) {
        try {
            return base64url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
