package io.bitbridge.bitbucket;

import io.bitbridge.events.RepositoryRef;

import java.util.List;

/**
 * A repository as a listing names it: {@code owner} is the Cloud workspace or the Server project key; {@code mainBranch}
 * is null where the listing does not carry it (Server).
 */
public record DiscoveredRepository(String owner, String slug, String name, String mainBranch, boolean privateRepository,
                                   String htmlUrl, List<RepositoryRef.CloneUrl> cloneUrls) {
    public DiscoveredRepository {
        cloneUrls = cloneUrls == null ? List.of() : List.copyOf(cloneUrls);
    }
}
