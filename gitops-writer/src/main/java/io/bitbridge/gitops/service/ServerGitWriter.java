package io.bitbridge.gitops.service;

import io.bitbridge.events.GitOpsCommitResult.Status;
import io.bitbridge.gitops.config.GitOpsConfig;
import io.bitbridge.gitops.repository.Target;
import jakarta.enterprise.context.ApplicationScoped;
import io.bitbridge.bitbucket.Tls;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a desired state to Bitbucket Server / Data Center with git: fetch the branch into a bare cache repository
 * per remote, build the new tree from the fetched head (no working tree), commit, push over HTTP(S) with the
 * credential's token. A push rejected because the branch moved (non-fast-forward) fetches and computes again, at most
 * {@link GitOpsConfig#maxRetries()} times. One writer per cache repository at a time in this process.
 */
@ApplicationScoped
public class ServerGitWriter {
    private static final Pattern AUTHOR = Pattern.compile("^\\s*(.*?)\\s*<([^<>]+)>\\s*$");

    private final GitOpsConfig config;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    ServerGitWriter(GitOpsConfig config) {
        this.config = config;
    }

    /**
     * Where to push and as whom (the token is the password of git over HTTP), and the TLS trust: the credential's
     * private CA added to the JDK's, or no verification when the credential says so.
     */
    public record Remote(String cloneUrl, String username, String password, String caPem, boolean insecureTls) {
        @Override
        public String toString() {
            return "Remote[" + cloneUrl + "]";
        }
    }

    /** A changed file under a target's path at a commit: its content, or null when deleted or larger than the limit. */
    public record ChangedFile(String path, boolean deleted, byte[] content) {
    }

    /** What a commit changed under a target's path since an older one, with the commit's author and message. */
    public record Change(List<ChangedFile> files, String authorName, String authorEmail, String message) {
    }

    public WriteOutcome write(Remote remote, Target target, CommitOrder order) {
        return withCache(remote, repo -> writeLocked(repo, remote, target, order));
    }

    /**
     * The files {@code toHash} changed under the target's path since {@code fromHash} (its first parent when null or
     * zeros), read from the fetched branch; contents larger than {@code maxBytes} are left out (null), never loaded.
     */
    public Change changes(Remote remote, Target target, String fromHash, String toHash, long maxBytes) {
        return withCache(remote, repo -> {
            try (Git git = Git.wrap(repo)) {
                git.fetch().setRemote(remote.cloneUrl()).setCredentialsProvider(credentials(remote)).setTransportConfigCallback(tls(remote))
                        .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + target.branch() + ":" + tracking(target))).call();
            } catch (GitAPIException e) {
                throw new IllegalStateException("git fetch of " + remote + " failed: " + e.getMessage(), e);
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit to = walk.parseCommit(ObjectId.fromString(toHash));
                ObjectId fromTree;
                if (fromHash != null && !ObjectId.zeroId().name().equals(fromHash)) {
                    fromTree = walk.parseCommit(ObjectId.fromString(fromHash)).getTree();
                } else {
                    fromTree = to.getParentCount() == 0 ? null : walk.parseCommit(to.getParent(0)).getTree();
                }
                List<ChangedFile> files = new ArrayList<>();
                try (TreeWalk diff = new TreeWalk(repo)) {
                    diff.setRecursive(true);
                    if (fromTree == null) {
                        diff.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
                    } else {
                        diff.addTree(fromTree);
                    }
                    diff.addTree(to.getTree());
                    for (DiffEntry entry : DiffEntry.scan(diff)) {
                        boolean deleted = entry.getChangeType() == DiffEntry.ChangeType.DELETE;
                        String path = deleted ? entry.getOldPath() : entry.getNewPath();
                        if (!target.contains(path)) {
                            continue;
                        }
                        byte[] content = null;
                        if (!deleted) {
                            ObjectLoader loader = repo.open(entry.getNewId().toObjectId());
                            content = loader.getSize() > maxBytes ? null : loader.getCachedBytes((int) maxBytes);
                        }
                        files.add(new ChangedFile(target.relative(path), deleted, content));
                    }
                }
                return new Change(files, to.getAuthorIdent().getName(), to.getAuthorIdent().getEmailAddress(), to.getFullMessage());
            }
        });
    }

    private interface CacheWork<T> {
        T run(Repository repo) throws IOException;
    }

    /** Runs {@code work} on the remote's bare cache repository, one at a time per remote in this process. */
    private <T> T withCache(Remote remote, CacheWork<T> work) {
        String key = remote.cloneUrl().replaceAll("[^A-Za-z0-9._-]", "_");
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try (Repository repo = FileRepositoryBuilder.create(config.cacheDir().resolve(key + ".git").toFile())) {
            if (!repo.getObjectDatabase().exists()) {
                repo.create(true);
            }
            return work.run(repo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private static String tracking(Target target) {
        return "refs/remotes/origin/" + target.branch();
    }

    private static UsernamePasswordCredentialsProvider credentials(Remote remote) {
        return new UsernamePasswordCredentialsProvider(remote.username(), remote.password());
    }

    /** HTTPS with the credential's trust: JGit's connections get its trust manager (no global setting changes). */
    private static TransportConfigCallback tls(Remote remote) {
        if (remote.caPem() == null && !remote.insecureTls()) {
            return transport -> {
            };
        }
        TrustingConnections connections = new TrustingConnections(Tls.trustManager(remote.caPem(), remote.insecureTls()),
                remote.insecureTls());
        return transport -> {
            if (transport instanceof TransportHttp http) {
                http.setHttpConnectionFactory(connections);
            }
        };
    }

    /** Whether the remote has the branch (a fetch of a missing branch fails; this tells that apart from other failures). */
    private static boolean hasBranch(Git git, Remote remote, String branch) throws GitAPIException {
        return git.lsRemote().setRemote(remote.cloneUrl()).setCredentialsProvider(credentials(remote)).setTransportConfigCallback(tls(remote))
                .setHeads(true).call().stream().anyMatch(ref -> ref.getName().equals(Constants.R_HEADS + branch));
    }

    private WriteOutcome writeLocked(Repository repo, Remote remote, Target target, CommitOrder order) throws IOException {
        var credentials = credentials(remote);
        TransportConfigCallback tls = tls(remote);
        String tracking = tracking(target);
        int attempts = 0;
        String lastRejection = null;
        try (Git git = Git.wrap(repo)) {
            while (true) {
                Ref head;
                try {
                    git.fetch().setRemote(remote.cloneUrl()).setCredentialsProvider(credentials).setTransportConfigCallback(tls)
                            .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + target.branch() + ":" + tracking)).call();
                    head = repo.exactRef(tracking);
                } catch (org.eclipse.jgit.api.errors.TransportException e) {
                    if (hasBranch(git, remote, target.branch())) {
                        throw e;
                    }
                    head = null;
                }
                if (head == null && !order.createBranch()) {
                    return WriteOutcome.failed(Status.REJECTED, attempts, "branch " + target.branch() + " does not exist in " + target.repository());
                }
                RevCommit parent = null;
                if (head != null) {
                    try (RevWalk walk = new RevWalk(repo)) {
                        parent = walk.parseCommit(head.getObjectId());
                    }
                }
                ObjectId tree;
                try (ObjectInserter inserter = repo.newObjectInserter()) {
                    tree = desiredTree(repo, inserter, parent, target, order.desired());
                    inserter.flush();
                }
                ObjectId parentTree = parent == null ? emptyTree(repo) : parent.getTree();
                String parentName = parent == null ? null : parent.name();
                if (tree.equals(parentTree) && parent != null) {
                    return new WriteOutcome(Status.NO_CHANGE, parentName, parentName, List.of(), attempts, null);
                }
                List<String> paths = changedPaths(repo, parentTree, tree, target);
                if (attempts > config.maxRetries()) {
                    return new WriteOutcome(Status.CONFLICT, null, parentName, paths, attempts,
                            "the branch moved under each of " + attempts + " attempts; last answer: " + lastRejection);
                }
                attempts++;
                ObjectId commit = commit(repo, tree, parent, order, remote.username());
                RemoteRefUpdate update = push(git, remote, credentials, tls, commit, target.branch());
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {
                        return new WriteOutcome(Status.COMMITTED, commit.name(), parentName, paths, attempts, null);
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                        lastRejection = update.getStatus() + (update.getMessage() == null ? "" : " " + update.getMessage());
                        RetryPause.before(attempts, config);
                    }
                    default -> {
                        return new WriteOutcome(Status.REJECTED, null, parentName, paths, attempts,
                                "push refused: " + update.getStatus() + (update.getMessage() == null ? "" : " " + update.getMessage()));
                    }
                }
            }
        } catch (GitAPIException e) {
            return WriteOutcome.failed(Status.FAILED, attempts, "git: " + e.getMessage());
        }
    }

    private static ObjectId emptyTree(Repository repo) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId id = inserter.insert(new org.eclipse.jgit.lib.TreeFormatter());
            inserter.flush();
            return id;
        }
    }

    /** The parent's tree with the target's directory turned into the desired state. */
    private static ObjectId desiredTree(Repository repo, ObjectInserter inserter, RevCommit parent, Target target,
                                        DesiredState desired) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        boolean wholeRepository = desired instanceof DesiredState.FullSet && target.directory().isEmpty();
        if (!wholeRepository && parent != null) {
            try (ObjectReader reader = repo.newObjectReader()) {
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parent.getTree());
            }
        }
        builder.finish();
        DirCacheEditor editor = index.editor();
        Map<String, FileContent> puts;
        if (desired instanceof DesiredState.FullSet full) {
            if (!wholeRepository) {
                editor.add(new DirCacheEditor.DeleteTree(target.directory()));
            }
            puts = full.files();
        } else {
            DesiredState.Patch patch = (DesiredState.Patch) desired;
            patch.delete().forEach(relative -> editor.add(new DirCacheEditor.DeletePath(target.repositoryPath(relative))));
            puts = patch.put();
        }
        for (Map.Entry<String, FileContent> file : puts.entrySet()) {
            ObjectId blob;
            try (java.io.InputStream content = file.getValue().open()) {
                // streamed: a spooled upload goes from disk into the object database, never whole in memory
                blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().size(), content);
            }
            editor.add(new DirCacheEditor.PathEdit(target.repositoryPath(file.getKey())) {
                @Override
                public void apply(DirCacheEntry entry) {
                    entry.setFileMode(FileMode.REGULAR_FILE);
                    entry.setObjectId(blob);
                }
            });
        }
        editor.finish();
        return index.writeTree(inserter);
    }

    private static List<String> changedPaths(Repository repo, ObjectId before, ObjectId after, Target target) throws IOException {
        List<String> paths = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(before);
            walk.addTree(after);
            walk.setRecursive(true);
            for (DiffEntry entry : DiffEntry.scan(walk)) {
                String path = entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath();
                if (target.contains(path)) {
                    paths.add(target.relative(path));
                }
            }
        }
        return paths;
    }

    private static ObjectId commit(Repository repo, ObjectId tree, RevCommit parent, CommitOrder order, String username)
            throws IOException {
        PersonIdent author = new PersonIdent(username, username);
        if (order.author() != null) {
            Matcher matcher = AUTHOR.matcher(order.author());
            if (matcher.matches()) {
                author = new PersonIdent(matcher.group(1), matcher.group(2));
            }
        }
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        if (parent != null) {
            commit.setParentId(parent);
        }
        commit.setAuthor(author);
        commit.setCommitter(author);
        commit.setMessage(order.messageWithTrailer());
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static RemoteRefUpdate push(Git git, Remote remote, UsernamePasswordCredentialsProvider credentials, TransportConfigCallback tls,
                                        ObjectId commit, String branch) throws GitAPIException {
        Iterable<PushResult> results = git.push().setRemote(remote.cloneUrl()).setCredentialsProvider(credentials).setTransportConfigCallback(tls)
                .setRefSpecs(new RefSpec(commit.name() + ":" + Constants.R_HEADS + branch)).call();
        for (PushResult result : results) {
            RemoteRefUpdate update = result.getRemoteUpdate(Constants.R_HEADS + branch);
            if (update != null) {
                return update;
            }
        }
        throw new IllegalStateException("the push answered nothing for " + branch);
    }
}
