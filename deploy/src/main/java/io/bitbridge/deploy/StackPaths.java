package io.bitbridge.deploy;

import java.nio.file.Path;

/** Where the local stack keeps its state: {@code .bitbridge/} in the project root (git-ignored). */
public record StackPaths(Path projectRoot) {

    public Path home() {
        return projectRoot.resolve(".bitbridge");
    }

    public Path keys() {
        return home().resolve("keys");
    }

    public Path privateKey() {
        return keys().resolve("jwt-private.pem");
    }

    public Path publicKey() {
        return keys().resolve("jwt-public.pem");
    }

    /** The AES-256 key credential-service encrypts secrets at rest with (local stack only). */
    public Path cryptoKey() {
        return keys().resolve("crypto.key");
    }

    public Path logs() {
        return home().resolve("logs");
    }

    public Path kafkaData() {
        return home().resolve("kafka");
    }

    public Path launcherPid() {
        return home().resolve("launcher.pid");
    }

    public Path childPids() {
        return home().resolve("children.pids");
    }

    public Path state() {
        return home().resolve("state");
    }
}
