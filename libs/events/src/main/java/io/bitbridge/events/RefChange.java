package io.bitbridge.events;

import java.util.List;

/**
 * One ref updated by a push. A push can change many refs; each is one change.
 * {@code truncated} is Bitbucket Cloud's flag (more commits than the five it sends);
 * {@code commitsComplete} says whether {@code commits} is the whole list, which only an expanded push
 * (completed from the REST API by scraper-service) can promise.
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
        boolean commitsComplete) {

    public RefChange {
        commits = commits == null ? List.of() : List.copyOf(commits);
    }
}
