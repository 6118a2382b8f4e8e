package io.bitbridge.bitbucket;

/**
 * Bitbucket answered with an error. {@code reason} is Bitbucket's own message, read from either
 * product's error envelope, so callers can show people why (e.g. a 401 on a wrong token).
 */
public class BitbucketApiException extends RuntimeException {
    private final int status;
    private final String reason;

    public BitbucketApiException(int status, String reason) {
        super("Bitbucket answered " + status + (reason == null ? "" : ": " + reason), null, false, false);
        this.status = status;
        this.reason = reason;
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
