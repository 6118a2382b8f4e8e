package io.bitbridge.gateway.service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bitbucket's {@code X-Hub-Signature: sha256=<hex>}: HMAC-SHA256 of the raw body keyed by the webhook secret.
 * Every comparison is constant-time ({@link MessageDigest#isEqual}). Only sha256 is accepted: Bitbucket signs
 * with it, so a {@code sha1=} header is a downgrade attempt or a misconfigured sender.
 */
public final class SignatureVerifier {
    private static final Pattern SHA256 = Pattern.compile("sha256=([0-9a-fA-F]{64})");
    private static final HexFormat HEX = HexFormat.of();

    private SignatureVerifier() {
    }

    /** True when {@code header} is a well-formed sha256 signature of {@code body} under one of {@code secrets}. */
    public static boolean signatureMatches(String header, byte[] body, List<String> secrets) {
        if (header == null) {
            return false;
        }
        Matcher matcher = SHA256.matcher(header.trim());
        if (!matcher.matches()) {
            return false;
        }
        byte[] given = HEX.parseHex(matcher.group(1));
        boolean matched = false;
        for (String secret : secrets) {
            // No early exit: the time taken does not tell which secret matched.
            matched |= MessageDigest.isEqual(hmac(secret, body), given);
        }
        return matched;
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
        return "sha256=" + HEX.formatHex(hmac(secret, body));
    }

    private static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
