package io.bitbridge.common.rest;

import java.time.Duration;
import java.util.Optional;

/** Thrown by a service to answer with a specific problem document (and a {@code Retry-After} header when given). */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public ProblemException(String slug, String title, int status, String detail) {
        this(Problem.of(slug, title, status, detail));
    }

    public Problem problem() {
        return problem;
    }

    /** When the client may try again (sent as {@code Retry-After}, whole seconds rounded up). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
