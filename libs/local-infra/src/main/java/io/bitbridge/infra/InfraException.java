package io.bitbridge.infra;

/** Local infrastructure could not be started; the message says what is wrong and what to do. */
public class InfraException extends RuntimeException {
    public InfraException(String message) {
        super(message);
    }

    public InfraException(String message, Throwable cause) {
        super(message, cause);
    }
}
