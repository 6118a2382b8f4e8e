package io.bitbridge.gitops.service;

/**
 * One request to change a target: its idempotency key, the commit message (without our trailer), the author as
 * {@code Name <email>} (null: the credential's user), who asked, the desired state, and whether a missing branch is
 * created (a bootstrap) rather than refused.
 */
public record CommitOrder(String requestId, String message, String author, String requestedBy, DesiredState desired,
                          boolean createBranch) {

    public CommitOrder(String requestId, String message, String author, String requestedBy, DesiredState desired) {
        this(requestId, message, author, requestedBy, desired, false);
    }

    /** The git trailer that marks a commit as written by gitops-writer for one request. */
    public static final String TRAILER = "Bitbridge-Request";
    /** A file path relative to a target's path: no leading slash, no empty, {@code .} or {@code ..} segment. */
    public static final String FILE_PATH = "(?!/)(?!.*(^|/)\\.\\.?(/|$))(?!.*//)[^\\x00-\\x1f]+(?<!/)";
    private static final java.util.regex.Pattern FILE_PATH_PATTERN = java.util.regex.Pattern.compile(FILE_PATH);

    public static boolean validPath(String path) {
        return path != null && FILE_PATH_PATTERN.matcher(path).matches();
    }

    public String messageWithTrailer() {
        return message.stripTrailing() + "\n\n" + TRAILER + ": " + requestId + "\n";
    }

    /** True when a commit message carries our trailer (so the commit is ours, not an edit to sync back). */
    public static boolean isOurs(String commitMessage) {
        return commitMessage != null && commitMessage.lines().anyMatch(line -> line.startsWith(TRAILER + ": "));
    }
}
