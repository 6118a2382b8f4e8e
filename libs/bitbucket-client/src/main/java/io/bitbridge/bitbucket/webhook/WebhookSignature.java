package io.bitbridge.bitbucket.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Bitbucket's webhook signature, {@code X-Hub-Signature: sha256=<hex>}: HMAC-SHA256 of the raw body keyed by the
 * webhook secret, as Bitbucket Cloud and Data Center send it when the webhook has a secret
 * ({@code docs/bitbucket-api-notes.md} §2 and §8).
 * One {@link Mac} per thread, re-keyed per call, so signing and checking allocate little on a hot path.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Hub-Signature";

    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int HEX_LENGTH = 64;
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        }
    });

    private WebhookSignature() {
    }

    /** The header value Bitbucket sends for {@code body} under {@code secret}. */
    public static String sign(String secret, byte[] body) {
        return PREFIX + HEX.formatHex(hmac(secret, body));
    }

    /**
     * True when {@code header} is a well-formed {@code sha256=<64 hex digits>} signature of {@code body} under one
     * of {@code secrets}. Constant-time per secret and no early exit, so the time taken tells neither how much of
     * the signature matched nor which secret did. Only sha256 is accepted: Bitbucket signs with it, so a
     * {@code sha1=} header is a downgrade attempt or a misconfigured sender.
     */
    public static boolean verify(String header, byte[] body, List<String> secrets) {
        byte[] given = parse(header);
        if (given == null) {
            return false;
        }
        boolean matched = false;
        for (String secret : secrets) {
            matched |= MessageDigest.isEqual(hmac(secret, body), given);
        }
        return matched;
    }

    /** The digest a header carries, or null when it is not {@code sha256=} and 64 hex digits. */
    private static byte[] parse(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.length() != PREFIX.length() + HEX_LENGTH || !value.startsWith(PREFIX)) {
            return null;
        }
        try {
            return HEX.parseHex(value, PREFIX.length(), value.length());
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    /** HMAC-SHA256 of {@code message} under {@code secret}, in lower-case hex: how per-hook secrets are derived. */
    static String hmacHex(String secret, String message) {
        return HEX.formatHex(hmac(secret, message.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(String secret, byte[] body) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable webhook secret", e);
        }
        return mac.doFinal(body);
    }
}
