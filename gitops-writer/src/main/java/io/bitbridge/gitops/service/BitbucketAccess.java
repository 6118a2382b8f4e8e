package io.bitbridge.gitops.service;

import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.RepositoryProvisioning;
import io.bitbridge.bitbucket.cloud.CloudRepositoryProvisioning;
import io.bitbridge.bitbucket.server.ServerRepositoryProvisioning;
import io.bitbridge.bitbucket.cloud.CloudSourceFiles;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.BitbucketEndpoints;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.gitops.repository.Target;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;

/**
 * A target credential's way into Bitbucket, with the authorization credential-service hands out: Cloud's source
 * API, or git over HTTP(S) to a Server / Data Center repository. Blocking (asks credential-service when nothing is
 * held): call from a worker thread.
 */
@ApplicationScoped
public class BitbucketAccess {
    static final String CLOUD_HOST = "bitbucket.org";

    private final CredentialAuthorizations authorizations;
    private final BitbucketEndpoints endpoints;

    BitbucketAccess(CredentialAuthorizations authorizations, BitbucketEndpoints endpoints) {
        this.authorizations = authorizations;
        this.endpoints = endpoints;
    }

    /** Thrown when a credential cannot be used for a target (unknown, or a kind this cannot use). */
    public static class UnusableCredentialException extends RuntimeException {
        UnusableCredentialException(String message) {
            super(message, null, false, false);
        }
    }

    public Authorization authorization(String credentialId) {
        return authorizations.forCredential(credentialId)
                .orElseThrow(() -> new UnusableCredentialException("credential " + credentialId + " is unknown to credential-service"));
    }

    public CloudSourceFiles cloudSource(String credentialId) {
        Authorization authorization = authorization(credentialId);
        if (authorization.provider() != Provider.BITBUCKET_CLOUD) {
            throw new UnusableCredentialException("credential " + credentialId + " is not a Bitbucket Cloud credential");
        }
        return cloudSource(authorization);
    }

    public CloudSourceFiles cloudSource(Authorization authorization) {
        return new CloudSourceFiles(endpoints.of(authorization));
    }

    /**
     * The repository's HTTP(S) clone URL on a Server / Data Center instance ({@code {base}/scm/{project}/{slug}.git}),
     * pushed to with the credential's git user and token, trusting its private CA (or, if flagged, anything). Checked
     * against the outbound policy as every Bitbucket request is ({@link BitbucketEndpoints}); made for each operation.
     */
    public ServerGitWriter.Remote serverRemote(Authorization authorization, Target target) {
        String base = authorization.apiBaseUrl().replaceAll("/+$", "");
        String url = base + "/scm/" + target.workspace().toLowerCase(java.util.Locale.ROOT) + "/" + target.repoSlug() + ".git";
        endpoints.policy().requireAllowed(URI.create(url));
        return new ServerGitWriter.Remote(url, authorization.gitUsername(), authorization.gitPassword(), authorization.caBundle(),
                authorization.insecureTls());
    }

    /** Creating repositories and granting groups, with the credential's authorization. */
    public RepositoryProvisioning provisioning(Authorization authorization) {
        BitbucketEndpoint endpoint = endpoints.of(authorization);
        return authorization.provider() == Provider.BITBUCKET_CLOUD ? new CloudRepositoryProvisioning(endpoint)
                : new ServerRepositoryProvisioning(endpoint);
    }

    /** The repository key events use for the target's repository ({@code provider:host/owner/slug}). */
    public static String repositoryKey(Authorization authorization, Target target) {
        return authorization.provider() == Provider.BITBUCKET_CLOUD
                ? RepositoryRef.keyOf(Provider.BITBUCKET_CLOUD, CLOUD_HOST, target.workspace(), target.repoSlug())
                : RepositoryRef.keyOf(Provider.BITBUCKET_SERVER, RepositoryRef.hostOf(authorization.apiBaseUrl()), target.workspace(),
                target.repoSlug());
    }
}
