package io.bitbridge.gitops.service;

import io.bitbridge.bitbucket.cloud.CloudSourceFiles;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.events.Commit;
import io.bitbridge.events.GitOpsSyncEvent;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.gitops.config.GitOpsConfig;
import io.bitbridge.gitops.messaging.ResultPublisher;
import io.bitbridge.gitops.repository.SyncSeen;
import io.bitbridge.gitops.repository.Target;
import io.bitbridge.gitops.repository.TargetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns a push that changed a target's directory into a gitops.sync.v1 event, unless every commit of it is ours
 * (carries our trailer): edits made in the repository reach the platform, our own writes never echo back. The
 * changed files come from the diff of the old and new head (Bitbucket Cloud's diffstat; on Server / Data Center the
 * fetched commits), so they are right however many commits the push held; each one's content at the new head rides
 * along (up to {@link GitOpsConfig#syncMaxFileBytes()}). A push seen before (same delivery id) publishes nothing again.
 */
@ApplicationScoped
public class SyncBack {
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final Logger LOG = Logger.getLogger(SyncBack.class);

    private final TargetRepository targets;
    private final SyncSeen seen;
    private final BitbucketAccess access;
    private final ServerGitWriter serverGit;
    private final ResultPublisher publisher;
    private final GitOpsConfig config;

    SyncBack(TargetRepository targets, SyncSeen seen, BitbucketAccess access, ServerGitWriter serverGit, ResultPublisher publisher,
             GitOpsConfig config) {
        this.targets = targets;
        this.seen = seen;
        this.access = access;
        this.serverGit = serverGit;
        this.publisher = publisher;
        this.config = config;
    }

    /**
     * Blocking: call from a worker thread. Each target is synced on its own: one that fails (e.g. Bitbucket
     * unreachable with its credential) does not hold back the others; the first failure is thrown afterwards, so the
     * push is retried (targets already synced are skipped) and in the end dead-lettered.
     */
    public void onPush(PushEvent push) {
        RuntimeException failure = null;
        for (RefChange change : push.changes()) {
            if (change.refType() != RefType.BRANCH || change.deleted() || change.newHash() == null || allOurs(change)) {
                continue;
            }
            String branch = change.refName().startsWith(BRANCH_PREFIX) ? change.refName().substring(BRANCH_PREFIX.length()) : change.refName();
            for (Target target : targets.onBranch(push.repository().owner(), push.repository().slug(), branch)) {
                if (seen.seen(push.deliveryId(), target.id())) {
                    continue;
                }
                try {
                    sync(push, change, target);
                    seen.remember(push.deliveryId(), target.id());
                } catch (RuntimeException e) {
                    LOG.warnf("push %s to target %s not synced back yet: %s", push.deliveryId(), target.id(), e.getMessage());
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A changed file as the event carries it: relative path, deleted, or content (null: larger than the limit). */
    private record Read(List<GitOpsSyncEvent.SyncedFile> files, Person author, String message) {
    }

    private void sync(PushEvent push, RefChange change, Target target) {
        Authorization authorization;
        try {
            authorization = access.authorization(target.credentialId());
        } catch (BitbucketAccess.UnusableCredentialException e) {
            // an unknown credential will not become known by retrying
            LOG.warnf("push %s not synced back to target %s: %s", push.deliveryId(), target.id(), e.getMessage());
            return;
        }
        Read read = authorization.provider() == Provider.BITBUCKET_CLOUD
                ? readCloud(access.cloudSource(authorization), target, change)
                : readServer(access.serverRemote(authorization, target), target, change);
        if (read.files().isEmpty()) {
            return;
        }
        Optional<Commit> head = change.commits().stream().filter(c -> change.newHash().equals(c.hash())).findFirst();
        Person author = head.map(Commit::author).filter(p -> p.displayName() != null || p.email() != null || p.raw() != null)
                .orElse(read.author() != null ? read.author() : push.actor());
        String message = head.map(Commit::message).orElse(read.message());
        List<String> changed = read.files().stream().map(GitOpsSyncEvent.SyncedFile::path).toList();
        publisher.sync(new GitOpsSyncEvent(push.deliveryId() + ":" + target.id(), target.id().toString(), push.repository().key(),
                target.branch(), change.oldHash(), change.newHash(), changed, true, push.deliveryId(), Instant.now(), author, message,
                read.files()));
    }

    private Read readCloud(CloudSourceFiles source, Target target, RefChange change) {
        List<GitOpsSyncEvent.SyncedFile> files = new ArrayList<>();
        for (CloudSourceFiles.ChangedPath path : source.changedPaths(target.workspace(), target.repoSlug(), change.newHash(), change.oldHash())) {
            if (!target.contains(path.path())) {
                continue;
            }
            byte[] content = path.deleted() ? null
                    : source.read(target.workspace(), target.repoSlug(), change.newHash(), path.path())
                    .filter(bytes -> bytes.length <= config.syncMaxFileBytes()).orElse(null);
            files.add(synced(target.relative(path.path()), path.deleted(), content));
        }
        files.sort(Comparator.comparing(GitOpsSyncEvent.SyncedFile::path));
        return new Read(files, null, null);
    }

    private Read readServer(ServerGitWriter.Remote remote, Target target, RefChange change) {
        ServerGitWriter.Change read = serverGit.changes(remote, target, change.oldHash(), change.newHash(), config.syncMaxFileBytes());
        List<GitOpsSyncEvent.SyncedFile> files = new ArrayList<>();
        read.files().forEach(file -> files.add(synced(file.path(), file.deleted(), file.content())));
        files.sort(Comparator.comparing(GitOpsSyncEvent.SyncedFile::path));
        return new Read(files, new Person(read.authorName(), null, read.authorEmail(), null, null), read.message());
    }

    /** UTF-8 text when the bytes are valid UTF-8, else Base64; no content for a deleted or too large file. */
    static GitOpsSyncEvent.SyncedFile synced(String path, boolean deleted, byte[] content) {
        if (deleted || content == null) {
            return new GitOpsSyncEvent.SyncedFile(path, deleted, null, false);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
            return new GitOpsSyncEvent.SyncedFile(path, false, text, false);
        } catch (CharacterCodingException e) {
            return new GitOpsSyncEvent.SyncedFile(path, false, Base64.getEncoder().encodeToString(content), true);
        }
    }

    /** A change whose every listed commit is ours; with no commits listed (or an incomplete list) it may be anyone's. */
    private static boolean allOurs(RefChange change) {
        List<Commit> commits = change.commits();
        boolean complete = change.commitsComplete() || !change.truncated();
        return complete && !commits.isEmpty() && commits.stream().allMatch(c -> CommitOrder.isOurs(c.message()));
    }
}
