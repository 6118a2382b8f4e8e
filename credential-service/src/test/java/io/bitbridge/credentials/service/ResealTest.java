package io.bitbridge.credentials.service;

import io.bitbridge.credentials.crypto.SecretCipher;
import io.bitbridge.credentials.repository.Credential;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResealTest {
    private static final String OLD = Base64.getEncoder().encodeToString("o".repeat(32).getBytes(StandardCharsets.US_ASCII));
    private static final String NEW = Base64.getEncoder().encodeToString("n".repeat(32).getBytes(StandardCharsets.US_ASCII));

    @Test
    void valuesUnderARetiredKeyMoveToTheActiveKeyAndStillOpen() {
        SecretCipher before = new SecretCipher("old", Map.of("old", OLD));
        Credential c = new Credential();
        c.id = UUID.randomUUID();
        c.secret(before.seal("api-token", c.context(AccessService.SECRET)));
        c.webhookSecret(before.seal("hook-secret", c.context(WebhookService.WEBHOOK_SECRET)));

        SecretCipher after = new SecretCipher("new", Map.of("old", OLD, "new", NEW));
        assertTrue(Reseal.stale(c, after));
        assertEquals("new", c.secretKeyId);
        assertEquals("new", c.webhookSecretKeyId);
        assertNull(c.refreshTokenCipher, "absent values stay absent");
        SecretCipher onlyNew = new SecretCipher("new", Map.of("new", NEW));
        assertEquals("api-token", onlyNew.open(c.secret(), c.context(AccessService.SECRET)), "the old key can now be retired");
        assertEquals("hook-secret", onlyNew.open(c.webhookSecret(), c.context(WebhookService.WEBHOOK_SECRET)));
        assertFalse(Reseal.stale(c, after), "nothing left to do");
    }
}
