package io.bitbridge.buildtrigger.client;

import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.cloud.CloudBuildStatuses;
import io.bitbridge.bitbucket.server.ServerBuildStatuses;
import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.BitbucketEndpoints;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RefType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writes a build's state back to Bitbucket as a commit status on the head commit, as the push's credential
 * (docs/bitbucket-api-notes.md §11, §13): INPROGRESS with the Jenkins URL when it starts, SUCCESSFUL or FAILED when it
 * ends, under the key {@code BITBRIDGE-<job>}. Bitbucket Cloud: {@code commit/{hash}/statuses/build} with the branch as
 * {@code refname}; Bitbucket Server / Data Center: {@code commits/{id}/builds} with the fully qualified {@code ref}.
 * Best effort: a status that cannot be written is logged and never holds up the build's record.
 */
@ApplicationScoped
public class CommitStatuses {
    private static final Logger LOG = Logger.getLogger(CommitStatuses.class);
    private static final String KEY_PREFIX = "BITBRIDGE-";

    private enum Phase { RUNNING, SUCCEEDED, FAILED }

    private final CredentialAuthorizations authorizations;
    private final BitbucketEndpoints endpoints;

    CommitStatuses(CredentialAuthorizations authorizations, BitbucketEndpoints endpoints) {
        this.authorizations = authorizations;
        this.endpoints = endpoints;
    }

    public void started(TriggerRow row) {
        write(row, Phase.RUNNING, "Jenkins build " + row.buildNumber() + " running");
    }

    /** {@code SUCCESS} is SUCCESSFUL; every other result (FAILURE, UNSTABLE, ABORTED) is FAILED. */
    public void finished(TriggerRow row, String result) {
        write(row, "SUCCESS".equals(result) ? Phase.SUCCEEDED : Phase.FAILED, "Jenkins build " + row.buildNumber() + ": " + result);
    }

    private void write(TriggerRow row, Phase phase, String description) {
        if (row.credentialId() == null || row.buildUrl() == null) {
            return;
        }
        boolean cloud = row.repositoryKey().startsWith(Provider.BITBUCKET_CLOUD.slug() + ":");
        if (!cloud && row.target() == null) {
            LOG.warnf("no commit status for trigger %s: the row does not name the repository as Bitbucket Server spells it", row.id());
            return;
        }
        try {
            Optional<Authorization> authorization = authorizations.forCredential(row.credentialId());
            if (authorization.isEmpty()) {
                LOG.warnf("no commit status for trigger %s: credential %s is unknown", row.id(), row.credentialId());
                return;
            }
            Authorization auth = authorization.get();
            BitbucketEndpoint endpoint = endpoints.of(auth);
            String key = KEY_PREFIX + row.job();
            String name = row.job() + " #" + row.buildNumber();
            if (cloud) {
                // key: bitbucket-cloud:host/workspace/slug
                String[] path = row.repositoryKey().substring(row.repositoryKey().indexOf(':') + 1).split("/");
                new CloudBuildStatuses(endpoint).post(path[1], path[2], row.commit(), new CloudBuildStatuses.BuildStatus(key,
                        switch (phase) {
                            case RUNNING -> CloudBuildStatuses.State.INPROGRESS;
                            case SUCCEEDED -> CloudBuildStatuses.State.SUCCESSFUL;
                            case FAILED -> CloudBuildStatuses.State.FAILED;
                        }, row.buildUrl(), name, description, row.ref()));
            } else {
                String ref = (row.target().refType() == RefType.TAG ? "refs/tags/" : "refs/heads/") + row.ref();
                new ServerBuildStatuses(endpoint).post(row.target().owner(), row.target().slug(), row.commit(),
                        new ServerBuildStatuses.BuildStatus(key, switch (phase) {
                            case RUNNING -> ServerBuildStatuses.State.INPROGRESS;
                            case SUCCEEDED -> ServerBuildStatuses.State.SUCCESSFUL;
                            case FAILED -> ServerBuildStatuses.State.FAILED;
                        }, row.buildUrl(), name, description, String.valueOf(row.buildNumber()), ref));
            }
        } catch (RuntimeException e) {
            LOG.warnf("commit status %s for trigger %s not written: %s", phase, row.id(), e.getMessage());
        }
    }
}
