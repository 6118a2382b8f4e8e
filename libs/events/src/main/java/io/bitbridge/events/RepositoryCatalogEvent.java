package io.bitbridge.events;

import java.time.Instant;

/**
 * A repository a credential can see, on the compacted {@link Topics#REPOSITORIES_CATALOG} keyed by
 * {@code credentialId + "/" + repository key}, so compaction keeps the latest record of each (credential, repository).
 */
public record RepositoryCatalogEvent(
        @Required String eventId,
        @Required String credentialId,
        @Required Type type,
        @Required RepositoryRef repository,
        String mainBranch,
        boolean privateRepository,
        @Required Instant observedAt) {

    public enum Type {
        DISCOVERED, UPDATED, REMOVED
    }
}
