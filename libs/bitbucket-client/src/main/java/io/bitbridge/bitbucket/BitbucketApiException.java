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

    public BitbucketApiException(int status, String reason) {
        this(status, reason, null);
    }

    public BitbucketApiException(int status, String reason, Duration retryAfter) {
        super("Bitbucket answered " + status + (reason == null ? "" : ": " + reason), null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfter = retryAfter;
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
