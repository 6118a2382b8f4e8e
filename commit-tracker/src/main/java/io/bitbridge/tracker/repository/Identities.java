package io.bitbridge.tracker.repository;

import io.bitbridge.events.Person;

import java.util.Locale;
import java.util.Optional;

/** One person per Bitbucket account id, or per e-mail address where Bitbucket gave no account. */
public final class Identities {
    private Identities() {
    }

    public static Optional<String> of(Person person) {
        if (person == null) {
            return Optional.empty();
        }
        if (person.accountId() != null && !person.accountId().isBlank()) {
            return Optional.of("account:" + person.accountId());
        }
        if (person.email() != null && !person.email().isBlank()) {
            return Optional.of("email:" + person.email().trim().toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
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
