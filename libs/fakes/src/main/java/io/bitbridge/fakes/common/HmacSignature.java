package io.bitbridge.fakes.common;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** {@code X-Hub-Signature: sha256=<hex>} as Bitbucket Cloud and Data Center sign webhook bodies. */
public final class HmacSignature {
    public static final String HEADER = "X-Hub-Signature";

    private HmacSignature() {
    }

    public static String sha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The header value, {@code sha256=<hex>}. */
    public static String headerValue(String secret, byte[] body) {
        return "sha256=" + sha256Hex(secret, body);
    }

    /** Constant-time check of a header value against the body. */
    public static boolean verify(String secret, byte[] body, String headerValue) {
        if (headerValue == null) {
            return false;
        }
        return java.security.MessageDigest.isEqual(headerValue(secret, body).getBytes(StandardCharsets.US_ASCII),
                headerValue.getBytes(StandardCharsets.US_ASCII));
    }
}
