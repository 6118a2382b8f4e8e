package io.bitbridge.credentials.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PkceTest {
    @Test
    void theChallengeIsRfc7636sS256() {
        // RFC 7636 Appendix B
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void eachFlowHasItsOwnVerifierOfTheAllowedShape() {
        Pkce pkce = new Pkce("a server-side key of enough length".getBytes(StandardCharsets.UTF_8));
        String verifier = pkce.verifier("nonce-1");
        assertTrue(verifier.matches("[A-Za-z0-9\\-._~]{43,128}"), verifier);
        assertEquals(verifier, pkce.verifier("nonce-1"), "the callback derives the same verifier");
        assertNotEquals(verifier, pkce.verifier("nonce-2"));
        assertNotEquals(verifier, new Pkce("another key, another verifier....".getBytes(StandardCharsets.UTF_8)).verifier("nonce-1"));
    }
}
