package io.bitbridge.gitops.rest;

import io.bitbridge.gitops.repository.Target;

import java.time.Instant;
import java.util.UUID;

/** A target as the API shows it; {@code webhook} is {@code registered} or why registration failed. */
public record TargetView(UUID id, String clusterName, String clusterId, String credentialId, String repository, String branch,
                         String path, String webhook, Instant createdAt, Instant updatedAt) {
    static TargetView of(Target t) {
        return new TargetView(t.id(), t.clusterName(), t.clusterId(), t.credentialId(), t.repository(), t.branch(), t.path(),
                t.webhookStatus(), t.createdAt(), t.updatedAt());
    }
}
