package io.bitbridge.tracker.rest;

import io.bitbridge.common.rest.ProblemException;

/** The API's 404 problems. */
final class Problems {
    private Problems() {
    }

    static ProblemException unknownRepository(String repositoryKey) {
        return new ProblemException("repository-not-found", "Repository not found", 404, "no event named repository " + repositoryKey);
    }

    static ProblemException unknownCommit(String repositoryKey, String hash) {
        return new ProblemException("commit-not-found", "Commit not found", 404, "no commit " + hash + " in " + repositoryKey);
    }

    static ProblemException unknownPullRequest(String repositoryKey, long id) {
        return new ProblemException("pull-request-not-found", "Pull request not found", 404, "no pull request " + id + " in " + repositoryKey);
    }

    static ProblemException unknownTask(String key) {
        return new ProblemException("task-not-found", "Task not found", 404, "no link to task " + key);
    }
}
