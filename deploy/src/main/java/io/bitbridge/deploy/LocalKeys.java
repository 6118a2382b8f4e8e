package io.bitbridge.deploy;

import io.bitbridge.common.auth.TokenMinter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/** The local token key pair, generated on first run; the private half is readable by its owner only. */
final class LocalKeys {
    static final String ISSUER = "https://bitbridge.local";

    private LocalKeys() {
    }

    static void ensure(StackPaths paths) throws IOException {
        if (Files.exists(paths.privateKey()) && Files.exists(paths.publicKey())) {
            return;
        }
        Files.createDirectories(paths.keys());
        KeyPair pair = TokenMinter.generateKeyPair();
        Files.deleteIfExists(paths.privateKey());
        Files.createFile(paths.privateKey(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(paths.privateKey(), TokenMinter.privateKeyPem(pair.getPrivate()));
        Files.writeString(paths.publicKey(), TokenMinter.publicKeyPem(pair.getPublic()));
    }

    static TokenMinter minter(StackPaths paths) {
        return new TokenMinter(TokenMinter.readPrivateKey(paths.privateKey()), ISSUER);
    }
}
