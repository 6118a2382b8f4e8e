package io.bitbridge.common.database;

/**
 * A failure that happened while the service's database did not answer: nothing is wrong with the work that failed, it
 * can be done once the database is back. Carries the original failure as its cause.
 */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(Throwable cause) {
        super("the database does not answer (" + cause.getClass().getSimpleName() + ")", cause, false, false);
    }
}
