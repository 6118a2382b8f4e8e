package io.bitbridge.credentials.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretCipherTest {
    private static final String KEY_1 = key('1');
    private static final String KEY_2 = key('2');

    @Test
    void sealsWithTheActiveKeyIdAndOpensAgain() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", KEY_1));
        Sealed sealed = cipher.seal("ATCTT3xFfGN0-secret", "row-1/secret");
        assertEquals("k1", sealed.keyId());
        assertFalse(sealed.cipherText().contains("secret"));
        assertFalse(new String(Base64.getDecoder().decode(sealed.cipherText()), StandardCharsets.ISO_8859_1).contains("ATCTT3x"));
        assertEquals("ATCTT3xFfGN0-secret", cipher.open(sealed, "row-1/secret"));
    }

    @Test
    void theSameSecretSealsDifferentlyEachTime() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", KEY_1));
        assertNotEquals(cipher.seal("same", "c").cipherText(), cipher.seal("same", "c").cipherText());
    }

    @Test
    void aCiphertextMovedToAnotherRowOrFieldDoesNotOpen() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", KEY_1));
        Sealed sealed = cipher.seal("token", "row-1/secret");
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, "row-2/secret"));
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, "row-1/refresh_token"));
    }

    @Test
    void aTamperedCiphertextDoesNotOpen() {
        SecretCipher cipher = new SecretCipher("k1", Map.of("k1", KEY_1));
        byte[] raw = Base64.getDecoder().decode(cipher.seal("token", "c").cipherText());
        raw[raw.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.open(new Sealed("k1", Base64.getEncoder().encodeToString(raw)), "c"));
    }

    @Test
    void valuesUnderAnOlderKeyStillOpenAfterTheActiveKeyRotates() {
        Sealed old = new SecretCipher("k1", Map.of("k1", KEY_1)).seal("token", "c");
        SecretCipher rotated = new SecretCipher("k2", Map.of("k1", KEY_1, "k2", KEY_2));
        assertEquals("token", rotated.open(old, "c"));
        assertTrue(rotated.isStale(old));
        assertEquals("k2", rotated.seal("token", "c").keyId());
        assertThrows(IllegalStateException.class, () -> new SecretCipher("k2", Map.of("k2", KEY_2)).open(old, "c"));
    }

    @Test
    void refusesKeysThatAreNotAes256OrAMissingActiveKey() {
        assertThrows(IllegalStateException.class, () -> new SecretCipher("k1", Map.of("k1", Base64.getEncoder().encodeToString(new byte[16]))));
        assertThrows(IllegalStateException.class, () -> new SecretCipher("k9", Map.of("k1", KEY_1)));
        assertThrows(IllegalStateException.class, () -> new SecretCipher("k1", Map.of("k1", "not base64!")));
    }

    private static String key(char fill) {
        return Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII));
    }
}
