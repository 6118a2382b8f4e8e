package io.bitbridge.gitops.service;

import io.bitbridge.events.GitOpsCommitResult;

import java.util.List;

/**
 * What writing one request did: the status, the commit made (or the head that already matched), the head it was
 * computed from, the changed paths (relative to the target's path), how many commits were attempted, and why it
 * failed.
 */
public record WriteOutcome(GitOpsCommitResult.Status status, String commitHash, String parentHash, List<String> paths,
                           int attempts, String reason) {

    public static WriteOutcome failed(GitOpsCommitResult.Status status, int attempts, String reason) {
        return new WriteOutcome(status, null, null, List.of(), attempts, reason);
    }
}
