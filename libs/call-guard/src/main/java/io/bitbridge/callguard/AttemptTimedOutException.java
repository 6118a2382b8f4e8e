package io.bitbridge.callguard;

import java.time.Duration;

/** The last attempt took longer than the policy's {@code attemptTimeout} and was interrupted. */
public class AttemptTimedOutException extends RuntimeException {
    public AttemptTimedOutException(String system, String endpoint, Duration timeout, Throwable cause) {
        super(system + " at " + endpoint + " did not answer within " + timeout.toMillis() + " ms", cause);
    }
}
