package io.bitbridge.scraper.service;

import io.bitbridge.bitbucket.CommitListing;
import io.bitbridge.events.Commit;
import io.bitbridge.events.RefChange;

import java.util.List;

/** Completes the ref changes of one push against one repository's history (one product's REST API). */
interface ChangeExpansion {
    /** A change that is not deleted: its whole commit list (up to the cap) and its changed paths. */
    RefChange expand(RefChange change);

    /** The paths {@code commit} changes against its first parent (one call). */
    List<String> commitPaths(Commit commit);

    /**
     * The change with each commit's own paths, one call per commit; a commit without a parent (the first of a
     * repository) keeps none, since there is nothing to compare it with.
     */
    default RefChange withCommitPaths(RefChange change) {
        List<Commit> commits = change.commits().stream().map(commit -> commit.parents().isEmpty() ? commit
                : new Commit(commit.hash(), commit.message(), commit.author(), commit.date(), commit.parents(), commitPaths(commit)))
                .toList();
        return change.expanded(commits, change.commitsComplete(), change.paths(), change.expansionNote());
    }

    /** A deleted ref: no commits, nothing changed. */
    static RefChange deleted(RefChange change) {
        return change.expanded(List.of(), true, List.of(), null);
    }

    /** The change with {@code listing}'s commits, marked incomplete with a note when the listing stopped at the cap. */
    static RefChange withListing(RefChange change, CommitListing listing, List<String> paths, int cap) {
        return change.expanded(listing.commits(), listing.complete(), paths,
                listing.complete() ? null : "more than " + cap + " commits; the newest " + cap + " are listed");
    }
}
