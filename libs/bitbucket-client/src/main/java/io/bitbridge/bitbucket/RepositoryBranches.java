package io.bitbridge.bitbucket;

import java.util.List;

/**
 * A repository's branches as Bitbucket lists them at the time of asking, at most the cap asked for: {@code truncated}
 * says the listing went on beyond it.
 */
public record RepositoryBranches(List<Branch> branches, boolean truncated) {
    public RepositoryBranches {
        branches = List.copyOf(branches);
    }

    /** A branch: its name without {@code refs/heads/}, its head commit, and whether it is the default (null: not said). */
    public record Branch(String name, String headCommit, Boolean isDefault) {
    }
}
