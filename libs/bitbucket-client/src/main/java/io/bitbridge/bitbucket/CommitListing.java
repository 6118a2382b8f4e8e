package io.bitbridge.bitbucket;

import io.bitbridge.events.Commit;

import java.util.List;

/**
 * Commits between two revisions, newest first as Bitbucket lists them. {@code complete} is false when the listing
 * stopped at its cap with more commits left; {@code commits} then holds the newest {@code cap}.
 */
public record CommitListing(List<Commit> commits, boolean complete) {
    public CommitListing {
        commits = List.copyOf(commits);
    }
}
