package io.bitbridge.fakes.server;

import java.time.Instant;

/** A repository access key (deploy key): an SSH public key with REPO_READ or REPO_WRITE. */
public record ServerDeployKey(int id, String text, String label, String permission, String algorithm, int bitLength,
                              String fingerprint, Instant createdDate) {

    ServerDeployKey withId(int newId) {
        return new ServerDeployKey(newId, text, label, permission, algorithm, bitLength, fingerprint, createdDate);
    }
}
