package io.bitbridge.buildtrigger.client;

/**
 * Jenkins answered an error or could not be reached. {@code status} is 0 for a connection failure; the message carries
 * Jenkins' own reason (never a credential). 5xx and connection failures are transient (retried, counted by the
 * instance's breaker); 4xx are final.
 */
public class JenkinsCallException extends RuntimeException {
    private final int status;

    public JenkinsCallException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean transientFailure() {
        return status == 0 || status >= 500 || status == 429;
    }
}
