package io.bitbridge.scraper.client;

import java.time.Duration;

/** A credential's request budget is spent for longer than a request may wait: the work is retried later. */
public class RequestBudgetExhaustedException extends RuntimeException {
    public RequestBudgetExhaustedException(Duration wait) {
        super("the credential's Bitbucket request budget is spent for the next " + wait.toSeconds() + " s");
    }
}
