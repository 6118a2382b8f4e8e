package io.bitbridge.gitops.rest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.bitbridge.gitops.service.CommitOrder;
import io.bitbridge.gitops.service.DesiredState;
import io.bitbridge.gitops.service.FileContent;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * A commit request: its id (the idempotency key), message, optional author, and either {@code files} (the full set
 * under the target's path: a file absent from it is deleted) or {@code patch} ({@code put} and {@code delete}).
 * File paths are relative to the target's path; contents are UTF-8 text.
 */
public record CommitBody(
        @NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "letters, digits, '.', '_', ':' and '-'")
        String requestId,
        @NotBlank @Size(max = 10_000) String message,
        @Valid Author author,
        Map<@NotBlank @Pattern(regexp = FILE_PATH, message = FILE_PATH_MESSAGE) String, @NotNull String> files,
        @Valid Patch patch) {
    static final String FILE_PATH = CommitOrder.FILE_PATH;
    static final String FILE_PATH_MESSAGE = "must be a relative file path without . or .. segments";

    public record Author(@NotBlank @Size(max = 200) @Pattern(regexp = "[^<>\\r\\n]+", message = "must not hold <, > or line breaks") String name,
                        @NotBlank @Email String email) {
    }

    public record Patch(Map<@NotBlank @Pattern(regexp = FILE_PATH, message = FILE_PATH_MESSAGE) String, @NotNull String> put,
                        List<@NotBlank @Pattern(regexp = FILE_PATH, message = FILE_PATH_MESSAGE) String> delete) {
    }

    @JsonIgnore
    @AssertTrue(message = "exactly one of files and patch must be given")
    public boolean isOneDesiredState() {
        return (files == null) != (patch == null);
    }

    CommitOrder order(String requestedBy) {
        return order(requestedBy, Map.of());
    }

    /** The order with {@code uploads} (files sent as multipart parts, spooled to disk) added to the files or the patch's puts. */
    CommitOrder order(String requestedBy, Map<String, FileContent> uploads) {
        SortedMap<String, FileContent> put = FileContent.all(bytes(files != null ? files : patch.put() == null ? Map.of() : patch.put()));
        put.putAll(uploads);
        DesiredState desired = files != null ? new DesiredState.FullSet(put)
                : new DesiredState.Patch(put, new TreeSet<>(patch.delete() == null ? List.of() : patch.delete()));
        return new CommitOrder(requestId, message, author == null ? null : author.name() + " <" + author.email() + ">",
                requestedBy, desired);
    }

    private static Map<String, byte[]> bytes(Map<String, String> texts) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        texts.forEach((path, text) -> out.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return out;
    }
}
