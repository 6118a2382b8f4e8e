package io.bitbridge.deploy;

import io.bitbridge.common.auth.TokenMinter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The local token key pair and crypto key, generated on first run. Only the launcher reads the private key (to sign at
 * its token endpoint and for {@code ./bitbridge token}); the services get the public key only. Private files and
 * their directory are readable by their owner only, and are made so again on every run if something loosened them.
 */
final class LocalKeys {
    static final String ISSUER = "https://bitbridge.local";
    static final String OWNER_ONLY_FILE = "rw-------";
    static final String OWNER_ONLY_DIRECTORY = "rwx------";

    private LocalKeys() {
    }

    static void ensure(StackPaths paths) throws IOException {
        Files.createDirectories(paths.keys());
        Files.setPosixFilePermissions(paths.keys(), PosixFilePermissions.fromString(OWNER_ONLY_DIRECTORY));
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
        // A copy, a restore or an editor may have widened them since they were made.
        for (Path secret : new Path[]{paths.privateKey(), paths.cryptoKey()}) {
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString(OWNER_ONLY_FILE));
        }
    }

    /** The crypto key as credential-service reads it (Base64 of 32 bytes). */
    static String cryptoKey(StackPaths paths) throws IOException {
        return Files.readString(paths.cryptoKey()).strip();
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY_FILE)));
        Files.writeString(file, content);
    }

    static TokenMinter minter(StackPaths paths) {
        return new TokenMinter(TokenMinter.readPrivateKey(paths.privateKey()), ISSUER, TokenMinter.DEFAULT_AUDIENCE);
    }
}
