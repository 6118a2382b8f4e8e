package io.bitbridge.bitbucket;

import java.time.Duration;
import java.util.Optional;

/**
 * Bitbucket answered with an error. {@code reason} is Bitbucket's own message, read from either
 * product's error envelope, so callers can show people why (e.g. a 401 on a wrong token).
 */
public class BitbucketApiException extends RuntimeException {
    private final int status;
    private final String reason;

    private final Duration retryAfter;
    private final String request;

    public BitbucketApiException(int status, String reason) {
        this(status, reason, null, null);
    }

    /** {@code request}: the method and URL (without query) that got this answer, or null. */
    public BitbucketApiException(int status, String reason, Duration retryAfter, String request) {
        super("Bitbucket answered " + status + (request == null ? "" : " to " + request) + (reason == null ? "" : ": " + reason),
                null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfter = retryAfter;
        this.request = request;
    }

    /** The same answer with a reason that tells people more (e.g. what a base URL should look like). */
    public BitbucketApiException withReason(String betterReason) {
        return new BitbucketApiException(status, betterReason, retryAfter, request);
    }

    /** The method and URL that got this answer (never a secret: no query, no header), if known. */
    public Optional<String> request() {
        return Optional.ofNullable(request);
    }

    /** What Bitbucket's {@code Retry-After} asked for, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** 429 and 5xx may succeed later; everything else will not. */
    public boolean retryable() {
        return status == 429 || status >= 500;
    }
}
