package io.bitbridge.scraper.service;

import io.bitbridge.bitbucket.CommitListing;
import io.bitbridge.bitbucket.cloud.CloudHistory;
import io.bitbridge.events.Commit;
import io.bitbridge.events.RefChange;

import java.util.List;
import java.util.Map;

/**
 * Bitbucket Cloud: a change not marked {@code truncated} already lists all its commits (no listing call); a truncated
 * one lists {@code commits/{new}?exclude={old}}, or for a created ref everything not on another branch. Paths come from
 * one diffstat per change: {@code {new}..{old}} straight, or for a created ref against the main branch's head
 * (three-dot: what the new ref adds).
 */
final class CloudChangeExpansion implements ChangeExpansion {
    private final CloudHistory history;
    private final String workspace;
    private final String slug;
    private final int cap;
    private Map<String, String> branchHeads;
    private String mainBranch;

    CloudChangeExpansion(CloudHistory history, String workspace, String slug, int cap) {
        this.history = history;
        this.workspace = workspace;
        this.slug = slug;
        this.cap = cap;
    }

    @Override
    public RefChange expand(RefChange change) {
        if (change.created() || change.oldHash() == null) {
            return created(change);
        }
        List<String> paths = history.changedPaths(workspace, slug, change.newHash(), change.oldHash(), false);
        if (!change.truncated()) {
            return change.expanded(change.commits(), true, paths, null);
        }
        CommitListing listing = history.commits(workspace, slug, change.newHash(), List.of(change.oldHash()), cap);
        return ChangeExpansion.withListing(change, listing, paths, cap);
    }

    /** {@code diffstat/{hash}..{first parent}}. */
    @Override
    public List<String> commitPaths(Commit commit) {
        return history.changedPaths(workspace, slug, commit.hash(), commit.parents().get(0), false);
    }

    private RefChange created(RefChange change) {
        Map<String, String> heads = branchHeads();
        String base = mainBranch() == null || mainBranch().equals(change.refName()) ? null : heads.get(mainBranch());
        List<String> paths = base == null ? null : history.changedPaths(workspace, slug, change.newHash(), base, true);
        if (!change.truncated()) {
            return change.expanded(change.commits(), true, paths, null);
        }
        List<String> otherHeads = heads.entrySet().stream().filter(head -> !head.getKey().equals(change.refName()))
                .map(Map.Entry::getValue).distinct().sorted().toList();
        CommitListing listing = history.commits(workspace, slug, change.newHash(), otherHeads, cap);
        return ChangeExpansion.withListing(change, listing, paths, cap);
    }

    private Map<String, String> branchHeads() {
        if (branchHeads == null) {
            branchHeads = history.branchHeads(workspace, slug);
        }
        return branchHeads;
    }

    private String mainBranch() {
        if (mainBranch == null) {
            mainBranch = history.mainBranch(workspace, slug);
        }
        return mainBranch;
    }
}
