package io.bitbridge.gateway.service;

import io.bitbridge.bitbucket.webhook.WebhookSignature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;

/**
 * How a delivery proves it comes from Bitbucket: the {@code X-Hub-Signature: sha256=<hex>} HMAC of the raw body
 * ({@link WebhookSignature}, constant-time, sha256 only), or for senders that cannot sign, a token compared in
 * constant time.
 */
public final class SignatureVerifier {

    private SignatureVerifier() {
    }

    /** True when {@code header} is a well-formed sha256 signature of {@code body} under one of {@code secrets}. */
    public static boolean signatureMatches(String header, byte[] body, List<String> secrets) {
        return WebhookSignature.verify(header, body, secrets);
    }

    /**
     * True when {@code token} equals one of {@code secrets}. Both sides are hashed first so that even the
     * length of the secret does not show in the comparison time.
     */
    public static boolean tokenMatches(String token, List<String> secrets) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] given = sha256(token);
        boolean matched = false;
        for (String secret : secrets) {
            matched |= MessageDigest.isEqual(sha256(secret), given);
        }
        return matched;
    }

    /** The header value Bitbucket would send for {@code body} under {@code secret}. */
    public static String sign(String secret, byte[] body) {
        return WebhookSignature.sign(secret, body);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
