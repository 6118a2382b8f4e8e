package io.bitbridge.credentials.service;

import io.bitbridge.credentials.crypto.Sealed;
import io.bitbridge.credentials.crypto.SecretCipher;
import io.bitbridge.credentials.repository.Credential;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * After the active key changes, values sealed under the old one still open; whenever a credential is written
 * anyway, its stale values are sealed again under the active key, so an old key can eventually be retired.
 */
public final class Reseal {
    private Reseal() {
    }

    /** Re-seals every secret field of {@code c} that an older key sealed; true when one changed. */
    public static boolean stale(Credential c, SecretCipher cipher) {
        boolean changed = field(c, cipher, AccessService.SECRET, c::secret, c::secret);
        changed |= field(c, cipher, AccessService.REFRESH_TOKEN, c::refreshToken, c::refreshToken);
        changed |= field(c, cipher, WebhookService.WEBHOOK_SECRET, c::webhookSecret, c::webhookSecret);
        changed |= field(c, cipher, WebhookService.PREVIOUS_WEBHOOK_SECRET, c::previousWebhookSecret, c::previousWebhookSecret);
        changed |= field(c, cipher, WebhookService.NEXT_WEBHOOK_SECRET, c::nextWebhookSecret, c::nextWebhookSecret);
        return changed;
    }

    private static boolean field(Credential c, SecretCipher cipher, String name, Supplier<Sealed> read, Consumer<Sealed> write) {
        Sealed sealed = read.get();
        if (!cipher.isStale(sealed)) {
            return false;
        }
        write.accept(cipher.seal(cipher.open(sealed, c.context(name)), c.context(name)));
        return true;
    }
}
