package io.bitbridge.scraper.service;

import io.bitbridge.bitbucket.CommitListing;
import io.bitbridge.events.RefChange;

import java.util.List;

/** Completes the ref changes of one push against one repository's history (one product's REST API). */
interface ChangeExpansion {
    /** A change that is not deleted: its whole commit list (up to the cap) and its changed paths. */
    RefChange expand(RefChange change);

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
