package io.bitbridge.credentials.service;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketCircuitOpenException;
import io.bitbridge.bitbucket.BitbucketUnreachableException;
import io.bitbridge.common.rest.Problem;
import io.bitbridge.common.rest.ProblemException;

import java.util.UUID;

/** The problem documents credential-service answers with, in one place so their types stay stable. */
public final class Problems {
    private Problems() {
    }

    public static ProblemException notFound(UUID id) {
        return new ProblemException("credential-not-found", "Credential not found", 404, "No credential " + id + ".");
    }

    public static ProblemException invalid(String detail) {
        return new ProblemException("invalid-credential", "Invalid credential", 400, detail);
    }

    public static ProblemException conflict(String slug, String title, String detail) {
        return new ProblemException(slug, title, 409, detail);
    }

    /**
     * What to answer when Bitbucket refused or failed: its 4xx becomes 422 with Bitbucket's own reason
     * (the secret or the permissions are wrong); 5xx, 429 and unreachable become 502; an open circuit breaker
     * (the request was not sent) becomes 503 with {@code Retry-After}.
     */
    public static ProblemException fromBitbucket(RuntimeException failure) {
        if (failure instanceof BitbucketCircuitOpenException open) {
            return new ProblemException(Problem.of("bitbucket-circuit-open", "Bitbucket is unavailable", 503, open.getMessage()),
                    open.retryAfter());
        }
        if (failure instanceof BitbucketApiException api && !api.retryable()) {
            return new ProblemException("bitbucket-rejected", "Bitbucket refused the request", 422, api.getMessage());
        }
        if (failure instanceof BitbucketApiException api) {
            return new ProblemException("bitbucket-unavailable", "Bitbucket is unavailable", 502, api.getMessage());
        }
        if (failure instanceof BitbucketUnreachableException) {
            return new ProblemException("bitbucket-unreachable", "Bitbucket could not be reached", 502, failure.getMessage());
        }
        return null;
    }

    /** True when PostgreSQL refused a write for a unique constraint (e.g. two replicas creating the same name at once). */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    /** A short reason for a status, from a Bitbucket failure. */
    public static String reason(Throwable failure) {
        if (failure instanceof BitbucketApiException || failure instanceof BitbucketUnreachableException) {
            return failure.getMessage();
        }
        return failure.getClass().getSimpleName();
    }
}
