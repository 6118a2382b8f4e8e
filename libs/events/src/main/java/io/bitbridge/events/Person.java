package io.bitbridge.events;

/**
 * Someone Bitbucket names: an actor, an author or a reviewer. Bitbucket versions disagree on user
 * fields ({@code username} vs {@code nickname}/{@code account_id}, authors with only a raw
 * {@code Name <email>}), so every field is optional and none is ever invented.
 */
public record Person(String displayName, String username, String email, String accountId, String raw) {

    public static Person unknown() {
        return new Person(null, null, null, null, null);
    }
}
