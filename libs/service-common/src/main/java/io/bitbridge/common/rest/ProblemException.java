package io.bitbridge.common.rest;

/** Thrown by a service to answer with a specific problem document. */
public class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public ProblemException(String slug, String title, int status, String detail) {
        this(Problem.of(slug, title, status, detail));
    }

    public Problem problem() {
        return problem;
    }
}
