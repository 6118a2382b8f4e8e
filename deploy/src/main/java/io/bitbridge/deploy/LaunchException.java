package io.bitbridge.deploy;

/** Something a person must fix before the stack can run; the message says what and how, in one line. */
final class LaunchException extends RuntimeException {
    LaunchException(String message) {
        super(message, null, false, false);
    }
}
