package io.bitbridge.bitbucket;

import javax.net.ssl.SSLHandshakeException;
import java.net.URI;
import java.util.function.Supplier;

/**
 * Wraps every single request {@link BitbucketHttp} sends (each retry attempt too), keyed by the Bitbucket endpoint's
 * origin ({@code scheme://host:port}). A service plugs its circuit breaker in here; the library itself stays free of
 * any framework. When the breaker is open it throws {@link BitbucketCircuitOpenException} without calling {@code attempt}.
 */
public interface BitbucketCallGuard {

    /** No guard: every attempt is sent. */
    BitbucketCallGuard NONE = new BitbucketCallGuard() {
        @Override
        public <T> T call(String origin, Supplier<T> attempt) {
            return attempt.get();
        }
    };

    <T> T call(String origin, Supplier<T> attempt);

    /** {@code scheme://authority} of a URI: the key of one Bitbucket endpoint. */
    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /**
     * What a breaker counts as Bitbucket failing: 429 and 5xx answers, connection errors and timeouts. A 4xx answer
     * (401, 403, 404, 409, 422, ...) means Bitbucket works and refused this one request; a TLS handshake failure is
     * the trust setting of one credential (e.g. a wrong CA); an interruption is ours. None of them say the endpoint is down.
     */
    static boolean isOutage(Throwable failure) {
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
}
