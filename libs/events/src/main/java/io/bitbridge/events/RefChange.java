package io.bitbridge.events;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;

/**
 * One ref updated by a push. A push can change many refs; each is one change.
 * {@code truncated} is Bitbucket Cloud's flag (more commits than the five it sends);
 * {@code commitsComplete} says whether {@code commits} is the whole list, which only an expanded push
 * (completed from the REST API by scraper-service) can promise.
 * <p>
 * Added compatibly: {@code paths} are the files changed between {@code oldHash} and {@code newHash} (null when not
 * known: a push not expanded, or expansion impossible), sorted; {@code expansionNote} says why an expanded change is
 * still incomplete (credential down, repository gone, more commits than the listing cap), null when nothing is amiss.
 */
public record RefChange(
        @Required RefType refType,
        @Required String refName,
        String oldHash,
        String newHash,
        boolean created,
        boolean deleted,
        boolean forced,
        @Required List<Commit> commits,
        boolean truncated,
        boolean commitsComplete,
        List<String> paths,
        String expansionNote) {

    @JsonCreator
    public RefChange {
        commits = commits == null ? List.of() : List.copyOf(commits);
        paths = paths == null ? null : List.copyOf(paths);
    }

    /** A change as a webhook payload states it: no paths, nothing to note. */
    public RefChange(RefType refType, String refName, String oldHash, String newHash, boolean created, boolean deleted,
                     boolean forced, List<Commit> commits, boolean truncated, boolean commitsComplete) {
        this(refType, refName, oldHash, newHash, created, deleted, forced, commits, truncated, commitsComplete, null, null);
    }

    /** This change with its commits, completeness, paths and note replaced (the result of expanding it). */
    public RefChange expanded(List<Commit> allCommits, boolean complete, List<String> changedPaths, String note) {
        return new RefChange(refType, refName, oldHash, newHash, created, deleted, forced, allCommits, truncated, complete,
                changedPaths, note);
    }
}
