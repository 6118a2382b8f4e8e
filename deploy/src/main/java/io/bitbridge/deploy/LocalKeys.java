package io.bitbridge.deploy;

import io.bitbridge.common.auth.TokenMinter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;

/** The local token key pair, generated on first run; the private half is readable by its owner only. */
final class LocalKeys {
    static final String ISSUER = "https://bitbridge.local";

    private LocalKeys() {
    }

    static void ensure(StackPaths paths) throws IOException {
        Files.createDirectories(paths.keys());
        if (!Files.exists(paths.privateKey()) || !Files.exists(paths.publicKey())) {
            KeyPair pair = TokenMinter.generateKeyPair();
            writeOwnerOnly(paths.privateKey(), TokenMinter.privateKeyPem(pair.getPrivate()));
            Files.writeString(paths.publicKey(), TokenMinter.publicKeyPem(pair.getPublic()));
        }
        if (!Files.exists(paths.cryptoKey())) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            writeOwnerOnly(paths.cryptoKey(), Base64.getEncoder().encodeToString(key));
        }
    }

    /** The crypto key as credential-service reads it (Base64 of 32 bytes). */
    static String cryptoKey(StackPaths paths) throws IOException {
        return Files.readString(paths.cryptoKey()).strip();
    }

    private static void writeOwnerOnly(java.nio.file.Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    static TokenMinter minter(StackPaths paths) {
        return new TokenMinter(TokenMinter.readPrivateKey(paths.privateKey()), ISSUER);
    }
}
