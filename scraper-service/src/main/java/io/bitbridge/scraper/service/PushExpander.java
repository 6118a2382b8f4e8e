package io.bitbridge.scraper.service;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.credentialclient.CredentialNeedsReconnectException;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.scraper.client.BitbucketReaders;
import io.bitbridge.scraper.config.ScraperConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Completes a push from Bitbucket's REST API: every change's commits (up to the cap) and changed paths. Deterministic,
 * so expanding the same delivery twice gives the same event. A push that cannot be expanded for good (credential
 * unknown or down, repository or revision gone, access refused) comes back as delivered with a note on each change;
 * a transient failure (Bitbucket or credential-service unavailable, rate limited) is thrown, for the consumer to retry.
 * Blocking: call from a worker thread.
 */
@ApplicationScoped
public class PushExpander {
    private static final Logger LOG = Logger.getLogger(PushExpander.class);

    private final CredentialAuthorizations authorizations;
    private final BitbucketReaders readers;
    private final ScraperConfig config;

    PushExpander(CredentialAuthorizations authorizations, BitbucketReaders readers, ScraperConfig config) {
        this.authorizations = authorizations;
        this.readers = readers;
        this.config = config;
    }

    public PushEvent expand(PushEvent push) {
        if (push.changes().stream().allMatch(RefChange::deleted)) {
            return withChanges(push, push.changes().stream().map(ChangeExpansion::deleted).toList());
        }
        Optional<Authorization> authorization;
        try {
            authorization = authorizations.forCredential(push.credentialId());
        } catch (CredentialNeedsReconnectException e) {
            return asDelivered(push, "credential " + push.credentialId() + " is down and needs reconnecting");
        }
        if (authorization.isEmpty()) {
            return asDelivered(push, "credential " + push.credentialId() + " is unknown");
        }
        ChangeExpansion expansion = expansionFor(push, authorization.get());
        List<RefChange> changes = new ArrayList<>();
        for (RefChange change : push.changes()) {
            changes.add(change.deleted() || change.newHash() == null ? ChangeExpansion.deleted(change)
                    : expandOne(expansion, change, config.expansion().perCommitPaths()));
        }
        return withChanges(push, changes);
    }

    private ChangeExpansion expansionFor(PushEvent push, Authorization authorization) {
        int cap = config.expansion().commitCap();
        String owner = push.repository().owner();
        String slug = push.repository().slug();
        return push.provider() == Provider.BITBUCKET_CLOUD
                ? new CloudChangeExpansion(readers.cloud(push.credentialId(), authorization), owner, slug, cap)
                : new ServerChangeExpansion(readers.server(push.credentialId(), authorization), owner, slug, cap);
    }

    /** A refusal Bitbucket will repeat (repository or revision gone, access refused) leaves the change as delivered. */
    private static RefChange expandOne(ChangeExpansion expansion, RefChange change, boolean perCommitPaths) {
        try {
            RefChange expanded = expansion.expand(change);
            return perCommitPaths ? expansion.withCommitPaths(expanded) : expanded;
        } catch (BitbucketApiException e) {
            if (e.retryable()) {
                throw e;
            }
            LOG.infof("change %s left as delivered: Bitbucket answered %d", change.refName(), e.status());
            return asDelivered(change, "Bitbucket answered " + e.status() + ": " + e.reason());
        }
    }

    private static PushEvent asDelivered(PushEvent push, String note) {
        return withChanges(push, push.changes().stream().map(change -> change.deleted()
                ? ChangeExpansion.deleted(change) : asDelivered(change, note)).toList());
    }

    private static RefChange asDelivered(RefChange change, String note) {
        return change.expanded(change.commits(), false, null, note);
    }

    private static PushEvent withChanges(PushEvent push, List<RefChange> changes) {
        return new PushEvent(push.deliveryId(), push.attempt(), push.provider(), push.credentialId(), push.eventKey(),
                push.repository(), push.actor(), changes, push.receivedAt());
    }
}
