package io.bitbridge.common;

import io.bitbridge.common.auth.TokenMinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenMinterTest {

    @Test
    void mintsAnRs256TokenThatTheMatchingPublicKeyVerifies(@TempDir Path dir) throws Exception {
        KeyPair pair = TokenMinter.generateKeyPair();
        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, TokenMinter.privateKeyPem(pair.getPrivate()));

        String token = new TokenMinter(TokenMinter.readPrivateKey(pem), "https://bitbridge.local", "bitbridge")
                .mint("alice", Set.of("admin"), Duration.ofMinutes(5));

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"groups\":[\"admin\"]"), claims);
        assertTrue(claims.contains("\"iss\":\"https://bitbridge.local\""), claims);
        assertTrue(claims.contains("\"aud\":\"bitbridge\""), claims);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(pair.getPublic());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rsa.verify(Base64.getUrlDecoder().decode(parts[2])));
    }
}
