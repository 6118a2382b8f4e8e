package io.bitbridge.gitops.service;

import io.bitbridge.bitbucket.cloud.CloudSourceFiles;
import io.bitbridge.events.Commit;
import io.bitbridge.events.GitOpsSyncEvent;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.gitops.messaging.ResultPublisher;
import io.bitbridge.gitops.repository.SyncSeen;
import io.bitbridge.gitops.repository.Target;
import io.bitbridge.gitops.repository.TargetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Turns a push that changed a target's directory into a gitops.sync.v1 event, unless every commit of it is ours
 * (carries our trailer): edits made in the repository reach the platform, our own writes never echo back. The
 * changed paths come from Bitbucket's diff of the old and new head, so they are right however many commits the push
 * held. A push seen before (same delivery id) publishes nothing again.
 */
@ApplicationScoped
public class SyncBack {
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final Logger LOG = Logger.getLogger(SyncBack.class);

    private final TargetRepository targets;
    private final SyncSeen seen;
    private final BitbucketAccess access;
    private final ResultPublisher publisher;

    SyncBack(TargetRepository targets, SyncSeen seen, BitbucketAccess access, ResultPublisher publisher) {
        this.targets = targets;
        this.seen = seen;
        this.access = access;
        this.publisher = publisher;
    }

    /** Blocking: call from a worker thread. */
    public void onPush(PushEvent push) {
        for (RefChange change : push.changes()) {
            if (change.refType() != RefType.BRANCH || change.deleted() || change.newHash() == null || allOurs(change)) {
                continue;
            }
            String branch = change.refName().startsWith(BRANCH_PREFIX) ? change.refName().substring(BRANCH_PREFIX.length()) : change.refName();
            for (Target target : targets.onBranch(push.repository().owner(), push.repository().slug(), branch)) {
                if (!seen.seen(push.deliveryId(), target.id())) {
                    sync(push, change, target);
                    seen.remember(push.deliveryId(), target.id());
                }
            }
        }
    }

    private void sync(PushEvent push, RefChange change, Target target) {
        CloudSourceFiles source;
        try {
            source = access.cloudSource(target.credentialId());
        } catch (BitbucketAccess.UnusableCredentialException e) {
            // Server / Data Center targets are not synced back yet; an unknown credential will not become known by retrying
            LOG.warnf("push %s not synced back to target %s: %s", push.deliveryId(), target.id(), e.getMessage());
            return;
        }
        List<String> changed = source.changedPaths(target.workspace(), target.repoSlug(), change.newHash(), change.oldHash()).stream()
                .map(CloudSourceFiles.ChangedPath::path)
                .filter(target::contains)
                .map(target::relative)
                .sorted().toList();
        if (changed.isEmpty()) {
            return;
        }
        publisher.sync(new GitOpsSyncEvent(push.deliveryId() + ":" + target.id(), target.id().toString(), push.repository().key(),
                target.branch(), change.oldHash(), change.newHash(), changed, true, push.deliveryId(), Instant.now()));
    }

    /** A change whose every listed commit is ours; with no commits listed (or an incomplete list) it may be anyone's. */
    private static boolean allOurs(RefChange change) {
        List<Commit> commits = change.commits();
        boolean complete = change.commitsComplete() || !change.truncated();
        return complete && !commits.isEmpty() && commits.stream().allMatch(c -> CommitOrder.isOurs(c.message()));
    }
}
