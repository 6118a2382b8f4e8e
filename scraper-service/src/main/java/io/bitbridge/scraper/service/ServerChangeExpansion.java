package io.bitbridge.scraper.service;

import io.bitbridge.bitbucket.CommitListing;
import io.bitbridge.bitbucket.server.ServerHistory;
import io.bitbridge.events.Commit;
import io.bitbridge.events.RefChange;

import java.util.List;
import java.util.Optional;

/**
 * Bitbucket Server / Data Center: every change is listed ({@code commits?since={old}&until={new}}; older servers send no
 * commits and Data Center does not say whether its list is whole), a created ref {@code since} the default branch's
 * head. Paths: one {@code compare/changes?from={new}&to={old or default head}} per change.
 */
final class ServerChangeExpansion implements ChangeExpansion {
    private final ServerHistory history;
    private final String project;
    private final String slug;
    private final int cap;
    private Optional<ServerHistory.Branch> defaultBranch;

    ServerChangeExpansion(ServerHistory history, String project, String slug, int cap) {
        this.history = history;
        this.project = project;
        this.slug = slug;
        this.cap = cap;
    }

    @Override
    public RefChange expand(RefChange change) {
        String base = change.created() || change.oldHash() == null ? baseForCreated(change) : change.oldHash();
        List<String> paths = base == null ? null : history.changedPaths(project, slug, change.newHash(), base);
        CommitListing listing = history.commits(project, slug, base, change.newHash(), cap);
        return ChangeExpansion.withListing(change, listing, paths, cap);
    }

    /** {@code compare/changes?from={hash}&to={first parent}}. */
    @Override
    public List<String> commitPaths(Commit commit) {
        return history.changedPaths(project, slug, commit.hash(), commit.parents().get(0));
    }

    /** The default branch's head, unless the created ref is the default branch itself (then its whole history is new). */
    private String baseForCreated(RefChange change) {
        if (defaultBranch == null) {
            defaultBranch = Optional.ofNullable(history.defaultBranch(project, slug));
        }
        return defaultBranch.filter(branch -> !branch.id().equals(change.refName())
                        && !branch.id().equals("refs/heads/" + change.refName()))
                .map(ServerHistory.Branch::latestCommit).orElse(null);
    }
}
