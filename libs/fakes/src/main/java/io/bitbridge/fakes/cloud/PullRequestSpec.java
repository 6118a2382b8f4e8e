package io.bitbridge.fakes.cloud;

/**
 * What a test says about a pull-request event the Cloud fake should deliver.
 *
 * @param id                the pull request id
 * @param sourceBranch      must exist in the repository
 * @param destinationBranch must exist in the repository
 * @param state             OPEN, MERGED, DECLINED or SUPERSEDED
 */
public record PullRequestSpec(long id, String title, String description, String sourceBranch,
                              String destinationBranch, String state, boolean draft) {
    /** An open, non-draft pull request. */
    public static PullRequestSpec open(long id, String title, String sourceBranch, String destinationBranch) {
        return new PullRequestSpec(id, title, "", sourceBranch, destinationBranch, "OPEN", false);
    }

    /** The same pull request in the state Bitbucket reports with an event key. */
    public PullRequestSpec forEvent(String eventKey) {
        String eventState = switch (eventKey) {
            case "pullrequest:fulfilled" -> "MERGED";
            case "pullrequest:rejected" -> "DECLINED";
            default -> state;
        };
        return new PullRequestSpec(id, title, description, sourceBranch, destinationBranch, eventState, draft);
    }
}
