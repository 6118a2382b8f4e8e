package io.bitbridge.tracker.repository;

import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;

import java.util.Locale;
import java.util.Optional;

/**
 * One person per Bitbucket account, or per e-mail address where Bitbucket gave no account. Bitbucket Cloud's account
 * ids are global; a Server / Data Center user id is a number of its instance, so it is scoped by the instance's host:
 * {@code account:557058:abc}, {@code account:git.acme.test/42}, {@code email:jane@acme.test}.
 */
public final class Identities {
    private Identities() {
    }

    public static final String ACCOUNT = "account:";
    public static final String EMAIL = "email:";

    public static Optional<String> of(String repositoryKey, Person person) {
        if (person == null) {
            return Optional.empty();
        }
        if (person.accountId() != null && !person.accountId().isBlank()) {
            return Optional.of(ACCOUNT + accountScope(repositoryKey) + person.accountId());
        }
        return emailOf(person).map(email -> EMAIL + email);
    }

    private static String accountScope(String repositoryKey) {
        String server = Provider.BITBUCKET_SERVER.slug() + ":";
        if (repositoryKey == null || !repositoryKey.startsWith(server)) {
            return "";
        }
        int slash = repositoryKey.indexOf('/', server.length());
        return repositoryKey.substring(server.length(), slash < 0 ? repositoryKey.length() : slash) + "/";
    }

    /** The person's e-mail address, trimmed and in lower case. */
    public static Optional<String> emailOf(Person person) {
        if (person == null || person.email() == null || person.email().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(person.email().trim().toLowerCase(Locale.ROOT));
    }

    /** A reviewer: by account or e-mail, else by user name (older Cloud payloads name reviewers only so); null if unnamed. */
    public static String ofReviewer(String repositoryKey, Person person) {
        return of(repositoryKey, person).orElseGet(() -> person.username() != null ? "user:" + person.username() : null);
    }

    /** A name for display: display name, then user name, then the name part of the raw {@code Name <email>}. */
    public static String nameOf(Person person) {
        if (person == null) {
            return null;
        }
        if (person.displayName() != null) {
            return person.displayName();
        }
        if (person.username() != null || person.raw() == null) {
            return person.username();
        }
        int bracket = person.raw().indexOf('<');
        String name = (bracket < 0 ? person.raw() : person.raw().substring(0, bracket)).strip();
        return name.isEmpty() ? person.raw().strip() : name;
    }
}
