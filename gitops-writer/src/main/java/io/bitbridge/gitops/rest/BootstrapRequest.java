package io.bitbridge.gitops.rest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bitbridge.gitops.service.BootstrapService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bootstrap: the credential, the owner (project key or workspace) or {@code personal}, the repository's slug, the
 * branch ({@code main} when absent), the cluster and the directory as for a target, {@code private} (true when
 * absent), the groups to grant write access, the initial files (relative to the directory), and optionally the
 * commit's message, author and request id.
 */
public record BootstrapRequest(
        @NotBlank @Size(max = 100) String credentialId,
        @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "must be a project key or workspace") String owner,
        boolean personal,
        @NotBlank @Size(max = 62) @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "must be a repository slug (lower case)")
        String repository,
        @Size(max = 250) @Pattern(regexp = TargetRequest.BRANCH, message = TargetRequest.BRANCH_MESSAGE) String branch,
        @Size(max = 500) @Pattern(regexp = TargetRequest.DIRECTORY, message = TargetRequest.DIRECTORY_MESSAGE) String path,
        @NotBlank @Size(max = 63) @Pattern(regexp = TargetRequest.NAME, message = TargetRequest.NAME_MESSAGE) String clusterName,
        @NotBlank @Size(max = 63) @Pattern(regexp = TargetRequest.NAME, message = TargetRequest.NAME_MESSAGE) String clusterId,
        @JsonProperty("private") Boolean isPrivate,
        List<@NotBlank @Size(max = 255) @Pattern(regexp = "[^\\r\\n]+", message = "must be a group name") String> groups,
        @NotEmpty Map<@NotBlank @Pattern(regexp = CommitBody.FILE_PATH, message = CommitBody.FILE_PATH_MESSAGE) String, @NotNull String> files,
        @Size(max = 10_000) String message,
        @Valid CommitBody.Author author,
        @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "letters, digits, '.', '_', ':' and '-'") String requestId) {

    @JsonIgnore
    @AssertTrue(message = "exactly one of owner and personal must be given")
    public boolean isOneOwner() {
        return (owner != null) != personal;
    }

    @JsonIgnore
    @AssertTrue(message = "groups are granted on project repositories only, not on a personal one")
    public boolean isGroupsOnProjectRepository() {
        return !personal || groups == null || groups.isEmpty();
    }

    /** The target this bootstrap attaches, validated as {@code POST /api/targets} validates one. */
    TargetRequest target() {
        return new TargetRequest(clusterName, clusterId, credentialId, (owner == null ? "personal" : owner) + "/" + repository,
                branch == null ? "main" : branch, path);
    }

    BootstrapService.Plan plan() {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((file, text) -> bytes.put(file, text.getBytes(StandardCharsets.UTF_8)));
        return new BootstrapService.Plan(personal, TargetResource.settings(target()), isPrivate == null || isPrivate,
                groups == null ? List.of() : List.copyOf(groups), bytes,
                message == null ? "Bootstrap cluster " + clusterName + "-" + clusterId : message,
                author == null ? null : author.name() + " <" + author.email() + ">", requestId);
    }
}
