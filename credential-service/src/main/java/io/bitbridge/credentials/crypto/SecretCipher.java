package io.bitbridge.credentials.crypto;

import io.bitbridge.credentials.config.CryptoConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * AES-256-GCM for every secret at rest. Each value carries the id of its key so keys can rotate; the
 * associated data names the row and field, so a ciphertext copied to another row or field does not open.
 */
@ApplicationScoped
public class SecretCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String activeKeyId;
    private final Map<String, SecretKey> keys;

    @Inject
    public SecretCipher(CryptoConfig config) {
        this(config.activeKey(), config.keys());
    }

    public SecretCipher(String activeKeyId, Map<String, String> base64Keys) {
        Map<String, SecretKey> parsed = new HashMap<>();
        base64Keys.forEach((id, value) -> {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(value.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("bitbridge.crypto.keys." + id + " is not base64");
            }
            if (raw.length != 32) {
                throw new IllegalStateException("bitbridge.crypto.keys." + id + " must be 32 bytes (AES-256), is " + raw.length);
            }
            parsed.put(id, new SecretKeySpec(raw, "AES"));
        });
        if (!parsed.containsKey(activeKeyId)) {
            throw new IllegalStateException("bitbridge.crypto.active-key " + activeKeyId + " is not among bitbridge.crypto.keys");
        }
        this.activeKeyId = activeKeyId;
        this.keys = Map.copyOf(parsed);
    }

    /** Encrypts under the active key; {@code context} (e.g. {@code <credential id>/token}) is authenticated, not stored. */
    public Sealed seal(String plain, String context) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return new Sealed(activeKeyId, Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String open(Sealed sealed, String context) {
        if (sealed == null || sealed.cipherText() == null) {
            return null;
        }
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("no key " + sealed.keyId() + " configured: a retired key is still in use");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.cipherText());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored secret does not decrypt (tampered, or sealed for another field)");
        }
    }

    /** True when the value was sealed under a key that is no longer the active one (re-seal it on the next write). */
    public boolean isStale(Sealed sealed) {
        return sealed != null && !activeKeyId.equals(sealed.keyId());
    }

    /** A key for another purpose (e.g. signing OAuth state), derived from the active key so it needs no extra setting. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.get(activeKeyId));
            return mac.doFinal(("bitbridge/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh random secret, URL-safe, of {@code bytes} random bytes. */
    public static String randomSecret(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
