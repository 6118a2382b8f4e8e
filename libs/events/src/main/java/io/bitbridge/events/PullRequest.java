package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/** A pull request as Bitbucket described it in the delivery; odd values are carried, never invented. */
public record PullRequest(
        long id,
        String title,
        String description,
        @Required PullRequestState state,
        String rawState,
        @Required Person author,
        @Required Endpoint source,
        @Required Endpoint destination,
        String mergeCommit,
        @Required List<Reviewer> reviewers,
        Instant createdAt,
        Instant updatedAt) {

    public PullRequest {
        author = author == null ? Person.unknown() : author;
        reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
    }

    /** One side of a pull request: repository key (may be a fork), branch and commit (possibly a short hash). */
    public record Endpoint(String repositoryKey, String branch, String commit) {
    }

    public record Reviewer(@Required Person person, @Required ReviewStatus status, boolean approved) {
    }
}
