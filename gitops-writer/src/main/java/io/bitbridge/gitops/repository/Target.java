package io.bitbridge.gitops.repository;

import java.time.Instant;
import java.util.UUID;

/**
 * A GitOps target: the directory {@code path} (relative to the repository root, ending in {@code /}, empty for the
 * root) on {@code branch} of {@code workspace/repoSlug} holding one cluster's configuration.
 */
public record Target(UUID id, String clusterName, String clusterId, String credentialId, String workspace, String repoSlug,
                     String branch, String path, String webhookStatus, Instant createdAt, Instant updatedAt) {

    /** The directory without its trailing slash, as Bitbucket's source API names it. */
    public String directory() {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The repository path of a file given relative to the target's path. */
    public String repositoryPath(String relative) {
        return path + relative;
    }

    /** True for a repository path inside the target's directory. */
    public boolean contains(String repositoryPath) {
        return repositoryPath != null && repositoryPath.startsWith(path);
    }

    public String relative(String repositoryPath) {
        return repositoryPath.substring(path.length());
    }

    public String repository() {
        return workspace + "/" + repoSlug;
    }
}
