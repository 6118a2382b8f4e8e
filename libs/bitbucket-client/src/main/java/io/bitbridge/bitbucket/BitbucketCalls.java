package io.bitbridge.bitbucket;

import io.bitbridge.callguard.CallPolicy;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.callguard.FailureKinds;

import javax.net.ssl.SSLHandshakeException;
import java.time.Duration;
import java.util.Optional;

/**
 * How Bitbucket calls are guarded ({@link EndpointGuards}, one circuit breaker per API origin): which failures are
 * transient and what wait Bitbucket asked for. A service makes its own {@link #guards} (its configuration, its metrics);
 * {@link #defaultGuards()} serves tools and tests.
 */
public final class BitbucketCalls {
    /**
     * Transient: 429 and 5xx answers, connection errors and timeouts. A 4xx answer (401, 403, 404, 409, 422, ...)
     * means Bitbucket works and refused this one request; a TLS handshake failure is the trust setting of one
     * credential (e.g. a wrong CA); an interruption is ours. None of them say the endpoint is down.
     */
    public static final FailureKinds FAILURES = new FailureKinds() {
        @Override
        public boolean transientFailure(Throwable failure) {
            if (failure instanceof BitbucketApiException api) {
                return api.retryable();
            }
            if (failure instanceof BitbucketCircuitOpenException) {
                return false;
            }
            if (failure instanceof BitbucketUnreachableException) {
                Throwable cause = failure.getCause();
                return !(cause instanceof SSLHandshakeException || cause instanceof InterruptedException);
            }
            return false;
        }

        @Override
        public Optional<Duration> retryAfter(Throwable failure) {
            return failure instanceof BitbucketApiException api ? api.retryAfter() : Optional.empty();
        }
    };

    private static final class Default {
        static final EndpointGuards GUARDS = guards(CallPolicy.defaults(), EndpointGuards.Listener.NONE);
    }

    private BitbucketCalls() {
    }

    public static EndpointGuards guards(CallPolicy policy, EndpointGuards.Listener listener) {
        return new EndpointGuards("Bitbucket", policy, FAILURES, listener);
    }

    /** Guards with {@link CallPolicy#defaults()}, shared by every client made without a service's own. */
    public static EndpointGuards defaultGuards() {
        return Default.GUARDS;
    }
}
