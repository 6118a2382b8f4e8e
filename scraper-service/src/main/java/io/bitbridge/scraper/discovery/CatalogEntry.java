package io.bitbridge.scraper.discovery;

import io.bitbridge.events.RepositoryRef;

/** What a credential's listing says about one repository: the facts compared between two scrapes. */
public record CatalogEntry(RepositoryRef repository, String mainBranch, boolean privateRepository) {
    public String key() {
        return repository.key();
    }
}
