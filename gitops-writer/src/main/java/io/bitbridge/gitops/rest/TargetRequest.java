package io.bitbridge.gitops.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A target as an admin gives it: the cluster it serves, the credential to write with, {@code owner/slug} of the
 * repository, the branch, and the directory ({@code clusters/{clusterName}-{clusterId}/} when absent).
 */
public record TargetRequest(
        @NotBlank @Size(max = 63) @Pattern(regexp = NAME, message = NAME_MESSAGE) String clusterName,
        @NotBlank @Size(max = 63) @Pattern(regexp = NAME, message = NAME_MESSAGE) String clusterId,
        @NotBlank @Size(max = 100) String credentialId,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*", message = "must be owner/slug")
        String repository,
        @NotBlank @Size(max = 250) @Pattern(regexp = BRANCH, message = BRANCH_MESSAGE) String branch,
        @Size(max = 500) @Pattern(regexp = DIRECTORY, message = DIRECTORY_MESSAGE) String path) {
    static final String BRANCH = "(?!/)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/-]+(?<!/)(?<!\\.lock)";
    static final String BRANCH_MESSAGE = "must be a branch name";
    static final String DIRECTORY = "(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._/ -]*";
    static final String DIRECTORY_MESSAGE = "must be a relative directory without . or .. segments";
    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";
    static final String NAME_MESSAGE = "letters, digits, '.', '_' and '-', starting with a letter or digit";

    String owner() {
        return repository.substring(0, repository.indexOf('/'));
    }

    String slug() {
        return repository.substring(repository.indexOf('/') + 1);
    }

    /** The directory in the repository, without leading slash, ending in {@code /} (empty for the root). */
    String normalizedPath() {
        String given = path == null ? "clusters/" + clusterName + "-" + clusterId : path;
        String trimmed = given.replaceAll("^/+", "").replaceAll("/+$", "").replaceAll("/{2,}", "/");
        return trimmed.isEmpty() ? "" : trimmed + "/";
    }
}
