package io.bitbridge.callguard;

import java.time.Duration;
import java.util.Optional;

/** How a client's exceptions read: which are transient (retried, counted against the endpoint) and what wait they ask for. */
public interface FailureKinds {

    /**
     * The endpoint failed and may answer later (e.g. HTTP 429 and 5xx, connection errors). A refusal of this one request
     * (HTTP 4xx), a local setting (TLS trust) or our own bug is not: never retried, never counted.
     */
    boolean transientFailure(Throwable failure);

    /** The wait the system asked for (HTTP {@code Retry-After}), if this failure carries one. */
    default Optional<Duration> retryAfter(Throwable failure) {
        return Optional.empty();
    }
}
