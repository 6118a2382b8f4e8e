package io.bitbridge.bitbucket.webhook;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookScopeTest {
    private static final String ROOT = "root-secret";

    @Test
    void everyScopeGetsItsOwnSecretAndItsOwnUrlToken() {
        String a = HookScope.repository("OPS", "a").secret(ROOT);
        String b = HookScope.repository("OPS", "b").secret(ROOT);
        String owner = HookScope.owner("OPS").secret(ROOT);
        assertNotEquals(a, b);
        assertNotEquals(a, owner);
        assertNotEquals(a, HookScope.repository("OPS", "a").urlToken(ROOT), "a leaked URL token is not a signing key");
        assertNotEquals(a, HookScope.repository("OPS", "a").secret("another-root"));
        assertFalse(a.contains(ROOT));
        assertEquals(64, a.length());
    }

    @Test
    void scopesAreCaseInsensitive() {
        assertEquals(HookScope.repository("OPS", "Platform").secret(ROOT), new HookScope("ops/platform").secret(ROOT));
        assertEquals("ops/platform", HookScope.repository("OPS", "Platform").value());
    }

    @Test
    void aScopeIsAnOwnerOrAnOwnerAndASlug() {
        assertTrue(HookScope.isValid("acme"));
        assertTrue(HookScope.isValid("~jdoe/dotfiles"));
        for (String bad : new String[] {null, "", "/", "a/", "/b", "a/b/c", "a b", "a/b c"}) {
            assertFalse(HookScope.isValid(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> new HookScope("a/b/c"));
    }

    @Test
    void aDeliveryMayBeSignedForItsRepositoryOrItsOwner() {
        assertEquals(List.of(new HookScope("ops/a"), new HookScope("ops")), HookScope.candidates("OPS", "a"));
        assertEquals(List.of(new HookScope("ops")), HookScope.candidates("OPS", null));
        assertEquals(List.of(), HookScope.candidates(null, "a"));
    }
}
