package io.bitbridge.gitops.service;

import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.cloud.CloudSourceFiles;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.Provider;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;

/** A target credential's way into Bitbucket Cloud's source API, with the authorization credential-service hands out. */
@ApplicationScoped
public class BitbucketAccess {
    private final CredentialAuthorizations authorizations;

    BitbucketAccess(CredentialAuthorizations authorizations) {
        this.authorizations = authorizations;
    }

    /** Thrown when a credential cannot be used for a target (unknown, or not a Bitbucket Cloud credential). */
    public static class UnusableCredentialException extends RuntimeException {
        UnusableCredentialException(String message) {
            super(message, null, false, false);
        }
    }

    /** Blocking (asks credential-service when nothing is held): call from a worker thread. */
    public CloudSourceFiles cloudSource(String credentialId) {
        Authorization authorization = authorizations.forCredential(credentialId)
                .orElseThrow(() -> new UnusableCredentialException("credential " + credentialId + " is unknown to credential-service"));
        if (authorization.provider() != Provider.BITBUCKET_CLOUD) {
            throw new UnusableCredentialException("credential " + credentialId + " is a " + authorization.provider()
                    + " credential; only Bitbucket Cloud targets are written");
        }
        return new CloudSourceFiles(new BitbucketEndpoint(URI.create(authorization.apiBaseUrl()), authorization.authorization(),
                authorization.caBundle(), authorization.insecureTls()));
    }
}
