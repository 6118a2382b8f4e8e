package io.bitbridge.scraper.discovery;

import io.bitbridge.bitbucket.RepositoryBranches;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.Provider;
import io.bitbridge.scraper.client.BitbucketReaders;
import io.bitbridge.scraper.discovery.RepositoryStore.RepositoryView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * A stored repository's branches, read from Bitbucket when asked (not stored): through the credential's pacing, at
 * most the cap. Bitbucket Server / Data Center says which branch is the default; for Cloud it is the repository's main
 * branch as discovery stored it.
 */
@ApplicationScoped
public class RepositoryBranchReader {
    private final CredentialAuthorizations authorizations;
    private final BitbucketReaders readers;

    RepositoryBranchReader(CredentialAuthorizations authorizations, BitbucketReaders readers) {
        this.authorizations = authorizations;
        this.readers = readers;
    }

    /** The branches of {@code repository} as {@code credentialId} reads them now. Blocking; throws as {@link RepositoryDiscovery#scrape(String)}. */
    public RepositoryBranches read(String credentialId, RepositoryView repository, int cap) {
        Authorization authorization = authorizations.forCredential(credentialId)
                .orElseThrow(() -> new RepositoryDiscovery.UnknownCredentialException(credentialId));
        RepositoryBranches listed = readers.branches(credentialId, authorization, repository.owner(), repository.slug(), cap);
        if (authorization.provider() != Provider.BITBUCKET_CLOUD || repository.mainBranch() == null) {
            return listed;
        }
        List<RepositoryBranches.Branch> marked = listed.branches().stream()
                .map(branch -> new RepositoryBranches.Branch(branch.name(), branch.headCommit(), branch.name().equals(repository.mainBranch())))
                .toList();
        return new RepositoryBranches(marked, listed.truncated());
    }
}
