package io.bitbridge.buildtrigger.client;

import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.cloud.CloudBuildStatuses;
import io.bitbridge.bitbucket.cloud.CloudBuildStatuses.BuildStatus;
import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.Provider;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writes a build's state back to Bitbucket as a commit status on the head commit, as the push's credential
 * (docs/bitbucket-api-notes.md §11): INPROGRESS with the Jenkins URL when it starts, SUCCESSFUL or FAILED when it ends.
 * Best effort: a status that cannot be written is logged and never holds up the build's record. Bitbucket Cloud only
 * for now; Server repositories are skipped.
 */
@ApplicationScoped
public class CommitStatuses {
    private static final Logger LOG = Logger.getLogger(CommitStatuses.class);
    private static final String KEY_PREFIX = "BITBRIDGE-";

    private final CredentialAuthorizations authorizations;

    CommitStatuses(CredentialAuthorizations authorizations) {
        this.authorizations = authorizations;
    }

    public void started(TriggerRow row) {
        write(row, CloudBuildStatuses.State.INPROGRESS, "Jenkins build " + row.buildNumber() + " running");
    }

    /** {@code SUCCESS} is SUCCESSFUL; every other result (FAILURE, UNSTABLE, ABORTED) is FAILED. */
    public void finished(TriggerRow row, String result) {
        write(row, "SUCCESS".equals(result) ? CloudBuildStatuses.State.SUCCESSFUL : CloudBuildStatuses.State.FAILED,
                "Jenkins build " + row.buildNumber() + ": " + result);
    }

    private void write(TriggerRow row, CloudBuildStatuses.State state, String description) {
        if (row.credentialId() == null || row.buildUrl() == null
                || !row.repositoryKey().startsWith(Provider.BITBUCKET_CLOUD.slug() + ":")) {
            return;
        }
        // key: provider:host/owner/slug
        String[] path = row.repositoryKey().substring(row.repositoryKey().indexOf(':') + 1).split("/");
        try {
            Optional<Authorization> authorization = authorizations.forCredential(row.credentialId());
            if (authorization.isEmpty()) {
                LOG.warnf("no commit status for trigger %s: credential %s is unknown", row.id(), row.credentialId());
                return;
            }
            Authorization auth = authorization.get();
            new CloudBuildStatuses(new BitbucketEndpoint(URI.create(auth.apiBaseUrl()), auth.authorization(), auth.caBundle(),
                    auth.insecureTls()))
                    .post(path[1], path[2], row.commit(), new BuildStatus(KEY_PREFIX + row.job(), state, row.buildUrl(),
                            row.job() + " #" + row.buildNumber(), description, row.ref()));
        } catch (RuntimeException e) {
            LOG.warnf("commit status %s for trigger %s not written: %s", state, row.id(), e.getMessage());
        }
    }
}
