package io.bitbridge.gitops.service;

import io.bitbridge.events.GitOpsCommitResult.Status;
import io.bitbridge.gitops.config.GitOpsConfig;
import io.bitbridge.gitops.repository.Target;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.jgit.api.Git;
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

    /** Where to push and as whom (the token is the password of git over HTTP). */
    public record Remote(String cloneUrl, String username, String password) {
        @Override
        public String toString() {
            return "Remote[" + cloneUrl + "]";
        }
    }

    public WriteOutcome write(Remote remote, Target target, CommitOrder order) {
        String key = remote.cloneUrl().replaceAll("[^A-Za-z0-9._-]", "_");
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try (Repository repo = FileRepositoryBuilder.create(config.cacheDir().resolve(key + ".git").toFile())) {
            if (!repo.getObjectDatabase().exists()) {
                repo.create(true);
            }
            return writeLocked(repo, remote, target, order);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private WriteOutcome writeLocked(Repository repo, Remote remote, Target target, CommitOrder order) throws IOException {
        var credentials = new UsernamePasswordCredentialsProvider(remote.username(), remote.password());
        String tracking = "refs/remotes/origin/" + target.branch();
        int attempts = 0;
        String lastRejection = null;
        try (Git git = Git.wrap(repo)) {
            while (true) {
                git.fetch().setRemote(remote.cloneUrl()).setCredentialsProvider(credentials)
                        .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + target.branch() + ":" + tracking)).call();
                Ref head = repo.exactRef(tracking);
                if (head == null) {
                    return WriteOutcome.failed(Status.REJECTED, attempts, "branch " + target.branch() + " does not exist in " + target.repository());
                }
                RevCommit parent;
                try (RevWalk walk = new RevWalk(repo)) {
                    parent = walk.parseCommit(head.getObjectId());
                }
                ObjectId tree;
                try (ObjectInserter inserter = repo.newObjectInserter()) {
                    tree = desiredTree(repo, inserter, parent, target, order.desired());
                    inserter.flush();
                }
                if (tree.equals(parent.getTree())) {
                    return new WriteOutcome(Status.NO_CHANGE, parent.name(), parent.name(), List.of(), attempts, null);
                }
                List<String> paths = changedPaths(repo, parent.getTree(), tree, target);
                if (attempts > config.maxRetries()) {
                    return new WriteOutcome(Status.CONFLICT, null, parent.name(), paths, attempts,
                            "the branch moved under each of " + attempts + " attempts; last answer: " + lastRejection);
                }
                attempts++;
                ObjectId commit = commit(repo, tree, parent, order, remote.username());
                RemoteRefUpdate update = push(git, remote, credentials, commit, target.branch());
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {
                        return new WriteOutcome(Status.COMMITTED, commit.name(), parent.name(), paths, attempts, null);
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                        lastRejection = update.getStatus() + (update.getMessage() == null ? "" : " " + update.getMessage());
                        RetryPause.before(attempts, config);
                    }
                    default -> {
                        return new WriteOutcome(Status.REJECTED, null, parent.name(), paths, attempts,
                                "push refused: " + update.getStatus() + (update.getMessage() == null ? "" : " " + update.getMessage()));
                    }
                }
            }
        } catch (GitAPIException e) {
            return WriteOutcome.failed(Status.FAILED, attempts, "git: " + e.getMessage());
        }
    }

    /** The parent's tree with the target's directory turned into the desired state. */
    private static ObjectId desiredTree(Repository repo, ObjectInserter inserter, RevCommit parent, Target target,
                                        DesiredState desired) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        boolean wholeRepository = desired instanceof DesiredState.FullSet && target.directory().isEmpty();
        if (!wholeRepository) {
            try (ObjectReader reader = repo.newObjectReader()) {
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parent.getTree());
            }
        }
        builder.finish();
        DirCacheEditor editor = index.editor();
        Map<String, byte[]> puts;
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
        for (Map.Entry<String, byte[]> file : puts.entrySet()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue());
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
        commit.setParentId(parent);
        commit.setAuthor(author);
        commit.setCommitter(author);
        commit.setMessage(order.messageWithTrailer());
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static RemoteRefUpdate push(Git git, Remote remote, UsernamePasswordCredentialsProvider credentials, ObjectId commit,
                                        String branch) throws GitAPIException {
        Iterable<PushResult> results = git.push().setRemote(remote.cloneUrl()).setCredentialsProvider(credentials)
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
