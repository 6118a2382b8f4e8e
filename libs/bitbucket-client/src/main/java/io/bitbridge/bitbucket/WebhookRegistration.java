package io.bitbridge.bitbucket;

/** The result of making a repository's hook match a {@link WebhookSpec}: Bitbucket's hook id and what had to be done. */
public record WebhookRegistration(String hookId, Outcome outcome) {
    public enum Outcome {
        /** No hook with our URL existed: one was created. */
        CREATED,
        /** Our hook existed but differed (events, active, secret): only it was updated. */
        UPDATED,
        /** Our hook already matched. */
        UNCHANGED
    }
}
