package io.bitbridge.events;

import java.time.Instant;
import java.util.List;

/** One commit of a ref change. {@code paths} is filled only on expanded pushes (changed file paths). */
public record Commit(
        @Required String hash,
        String message,
        @Required Person author,
        Instant date,
        @Required List<String> parents,
        @Required List<String> paths) {

    public Commit {
        author = author == null ? Person.unknown() : author;
        parents = parents == null ? List.of() : List.copyOf(parents);
        paths = paths == null ? List.of() : List.copyOf(paths);
    }
}
