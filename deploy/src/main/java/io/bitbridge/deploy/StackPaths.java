package io.bitbridge.deploy;

import java.nio.file.Path;

/**
 * Where the local stack keeps its state: {@code .bitbridge/} in the project root (git-ignored), or another
 * directory for a stack of its own (the end-to-end tests).
 */
public record StackPaths(Path projectRoot, Path home) {

    public StackPaths(Path projectRoot) {
        this(projectRoot, projectRoot.resolve(".bitbridge"));
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

    /** Configuration files the services read besides their environment (owner-only: they may hold secrets). */
    public Path config() {
        return home().resolve("config");
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
