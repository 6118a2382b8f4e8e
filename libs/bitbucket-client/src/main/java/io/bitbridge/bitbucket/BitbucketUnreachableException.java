package io.bitbridge.bitbucket;

/** Bitbucket could not be reached (connection refused, TLS failure, timeout). The message names the host, never a secret. */
public class BitbucketUnreachableException extends RuntimeException {
    public BitbucketUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
