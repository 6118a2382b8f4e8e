package io.bitbridge.credentials.crypto;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateSignerTest {
    private final StateSigner signer = new StateSigner("0123456789abcdef0123456789abcdef".getBytes());
    private final Instant now = Instant.parse("2026-11-22T05:00:00Z");
    private final Instant expiry = now.plusSeconds(600);

    @Test
    void acceptsItsOwnStateFromTheSameBrowserBeforeExpiry() {
        String state = signer.sign("nonce-1", expiry, "browser-a");
        var verified = signer.verify(state, "browser-a", now);
        assertTrue(verified.isPresent());
        assertEquals("nonce-1", verified.get().nonce());
    }

    @Test
    void refusesAnotherBrowserAForgeryAnEditAndAnExpiredState() {
        String state = signer.sign("nonce-1", expiry, "browser-a");
        assertTrue(signer.verify(state, "browser-b", now).isEmpty(), "bound to the browser that started the flow");
        assertTrue(signer.verify(state, null, now).isEmpty(), "no binding cookie");
        assertTrue(new StateSigner("another-key-another-key-another!".getBytes()).verify(state, "browser-a", now).isEmpty(), "forged");
        String later = state.replace("." + expiry.getEpochSecond() + ".", "." + expiry.plusSeconds(3600).getEpochSecond() + ".");
        assertTrue(signer.verify(later, "browser-a", now).isEmpty(), "expiry edited");
        assertTrue(signer.verify(state, "browser-a", expiry).isEmpty(), "expired");
        assertTrue(signer.verify("garbage", "browser-a", now).isEmpty(), "malformed");
        assertTrue(signer.verify("a.notanumber.b", "browser-a", now).isEmpty(), "malformed expiry");
    }
}
