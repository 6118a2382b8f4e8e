package io.bitbridge.credentials.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The OAuth {@code state}: {@code <nonce>.<expiry epoch s>.<HMAC>}, where the HMAC covers nonce, expiry and a
 * hash of the caller's browser-binding cookie. A state is only accepted back from the browser that started the
 * flow, before it expires, unaltered; single use is enforced by the store of issued nonces.
 */
public final class StateSigner {
    private final byte[] key;

    public StateSigner(byte[] key) {
        this.key = key.clone();
    }

    public record Verified(String nonce, Instant expiresAt) {
    }

    public String sign(String nonce, Instant expiresAt, String binding) {
        String payload = nonce + "." + expiresAt.getEpochSecond();
        return payload + "." + mac(payload, binding);
    }

    /** Empty when the state is malformed, forged, bound to another browser, or expired at {@code now}. */
    public Optional<Verified> verify(String state, String binding, Instant now) {
        if (state == null || binding == null) {
            return Optional.empty();
        }
        String[] parts = state.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        String payload = parts[0] + "." + parts[1];
        byte[] expected = mac(payload, binding).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return now.isBefore(expiresAt) ? Optional.of(new Verified(parts[0], expiresAt)) : Optional.empty();
    }

    private String mac(String payload, String binding) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(payload.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '|');
            mac.update(binding.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
