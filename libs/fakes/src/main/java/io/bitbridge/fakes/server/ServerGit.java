package io.bitbridge.fakes.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** Git operations of the Server fake: ref resolution, history, changes and commits made by tests. */
final class ServerGit {

    static final String ZERO = ObjectId.zeroId().name();
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,40}");

    /** One ref update, as Bitbucket describes it in {@code repo:refs_changed}. */
    record RefChange(String refId, String fromHash, String toHash, String type) {
    }

    private ServerGit() {
    }

    /** A commit id (full or abbreviated), a full ref name, a branch or a tag; null when nothing matches. */
    static ObjectId resolve(Repository git, String idOrRef) throws IOException {
        if (idOrRef == null || idOrRef.isBlank()) {
            return null;
        }
        for (String candidate : List.of(idOrRef, Constants.R_HEADS + idOrRef, Constants.R_TAGS + idOrRef)) {
            if (candidate.startsWith(Constants.R_REFS) || candidate.equals(Constants.HEAD)) {
                Ref ref = git.exactRef(candidate);
                if (ref != null && ref.getObjectId() != null) {
                    return peel(git, ref.getObjectId());
                }
            }
        }
        if (HEX.matcher(idOrRef).matches()) {
            try (RevWalk walk = new RevWalk(git)) {
                ObjectId id = idOrRef.length() == 40 ? ObjectId.fromString(idOrRef) : git.resolve(idOrRef);
                return id == null ? null : walk.parseCommit(id).getId();
            } catch (MissingObjectException | IllegalArgumentException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                return null;
            }
        }
        return null;
    }

    private static ObjectId peel(Repository git, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(id).getId();
        }
    }

    /**
     * Commits reachable from {@code until} but not from {@code since}, newest first; optionally only those
     * touching {@code path}, and {@code merges} = include (default), exclude or only.
     */
    static List<RevCommit> history(Repository git, ObjectId until, ObjectId since, String path, String merges)
            throws IOException {
        List<RevCommit> commits = new ArrayList<>();
        try (RevWalk walk = new RevWalk(git)) {
            walk.markStart(walk.parseCommit(until));
            if (since != null) {
                walk.markUninteresting(walk.parseCommit(since));
            }
            if (path != null && !path.isBlank()) {
                walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(path.replaceAll("^/+|/+$", "")), TreeFilter.ANY_DIFF));
            }
            if ("exclude".equals(merges)) {
                walk.setRevFilter(RevFilter.NO_MERGES);
            } else if ("only".equals(merges)) {
                walk.setRevFilter(RevFilter.ONLY_MERGES);
            }
            for (RevCommit commit : walk) {
                commits.add(commit);
            }
        }
        return commits;
    }

    static RevCommit commit(Repository git, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit commit = walk.parseCommit(id);
            for (RevCommit parent : commit.getParents()) {
                walk.parseHeaders(parent);
            }
            return commit;
        }
    }

    /** File changes from {@code since} (default: the first parent, or nothing for a root commit) to {@code until}. */
    static List<DiffEntry> changes(Repository git, ObjectId until, ObjectId since) throws IOException {
        try (RevWalk walk = new RevWalk(git); TreeWalk tree = new TreeWalk(git)) {
            RevCommit to = walk.parseCommit(until);
            RevCommit from = since != null ? walk.parseCommit(since)
                    : to.getParentCount() > 0 ? walk.parseCommit(to.getParent(0)) : null;
            tree.setRecursive(true);
            if (from == null) {
                tree.addTree(new EmptyTreeIterator());
            } else {
                tree.addTree(from.getTree());
            }
            tree.addTree(to.getTree());
            tree.setFilter(TreeFilter.ANY_DIFF);
            return DiffEntry.scan(tree);
        }
    }

    /** The bytes of {@code path} at {@code commit}, or null when there is no such file. */
    static byte[] fileAt(Repository git, ObjectId commit, String path) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            TreeWalk file = TreeWalk.forPath(git, path, walk.parseCommit(commit).getTree());
            if (file == null || (file.getFileMode(0).getBits() & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                return null;
            }
            return git.open(file.getObjectId(0), Constants.OBJ_BLOB).getBytes();
        } catch (IllegalArgumentException badPath) {
            return null;
        }
    }

    static List<Ref> refs(Repository git, String prefix) throws IOException {
        return git.getRefDatabase().getRefsByPrefix(prefix);
    }

    /**
     * Commits files on a branch (created from nothing if missing) and returns the ref change.
     * {@code files} maps path to content; a null content deletes the path.
     */
    static RefChange commitFiles(Repository git, String branch, Map<String, String> files, String message,
                                 PersonIdent author) throws IOException {
        String refName = Constants.R_HEADS + branch;
        Ref current = git.exactRef(refName);
        ObjectId parent = current == null ? null : current.getObjectId();
        try (ObjectInserter inserter = git.newObjectInserter(); RevWalk walk = new RevWalk(git)) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            if (parent != null) {
                try (TreeWalk existing = new TreeWalk(git)) {
                    existing.addTree(walk.parseCommit(parent).getTree());
                    existing.setRecursive(true);
                    while (existing.next()) {
                        if (!files.containsKey(existing.getPathString())) {
                            DirCacheEntry entry = new DirCacheEntry(existing.getPathString());
                            entry.setFileMode(existing.getFileMode(0));
                            entry.setObjectId(existing.getObjectId(0));
                            builder.add(entry);
                        }
                    }
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                if (file.getValue() != null) {
                    DirCacheEntry entry = new DirCacheEntry(file.getKey());
                    entry.setFileMode(FileMode.REGULAR_FILE);
                    entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
                    builder.add(entry);
                }
            }
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage(message);
            ObjectId commitId = inserter.insert(commit);
            inserter.flush();
            return moveRef(git, refName, parent, commitId);
        }
    }

    /**
     * Merges branch {@code from} into {@code to} with a merge commit (DC's default "no fast-forward" strategy)
     * and returns the change of {@code to}; a conflict is an {@link IllegalStateException}.
     */
    static RefChange mergeBranches(Repository git, String from, String to, String message, PersonIdent author)
            throws IOException {
        Ref source = git.exactRef(Constants.R_HEADS + from);
        Ref target = git.exactRef(Constants.R_HEADS + to);
        if (source == null || target == null) {
            throw new IllegalArgumentException("both branches must exist: " + from + ", " + to);
        }
        ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(git, true);
        if (!merger.merge(target.getObjectId(), source.getObjectId())) {
            throw new IllegalStateException("merging " + from + " into " + to + " conflicts");
        }
        try (ObjectInserter inserter = git.newObjectInserter()) {
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(merger.getResultTreeId());
            commit.setParentIds(target.getObjectId(), source.getObjectId());
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage(message);
            ObjectId merge = inserter.insert(commit);
            inserter.flush();
            return moveRef(git, Constants.R_HEADS + to, target.getObjectId(), merge);
        }
    }

    /** Points a ref at {@code to} (null deletes it), checking it still is at {@code expected}. */
    static RefChange moveRef(Repository git, String refName, ObjectId expected, ObjectId to) throws IOException {
        RefUpdate update = git.updateRef(refName);
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setForceUpdate(true);
        RefUpdate.Result result;
        if (to == null) {
            result = update.delete();
        } else {
            update.setNewObjectId(to);
            result = update.update();
        }
        if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD && result != RefUpdate.Result.FORCED
                && result != RefUpdate.Result.NO_CHANGE) {
            throw new IOException("ref update of " + refName + " failed: " + result);
        }
        String type = expected == null ? "ADD" : to == null ? "DELETE" : "UPDATE";
        return new RefChange(refName, expected == null ? ZERO : expected.name(), to == null ? ZERO : to.name(), type);
    }

    /** The ref changes of a push that JGit applied. */
    static List<RefChange> refChanges(List<ReceiveCommand> commands) {
        List<RefChange> changes = new ArrayList<>();
        for (ReceiveCommand command : commands) {
            String type = switch (command.getType()) {
                case CREATE -> "ADD";
                case DELETE -> "DELETE";
                default -> "UPDATE";
            };
            changes.add(new RefChange(command.getRefName(), command.getOldId().name(), command.getNewId().name(), type));
        }
        return changes;
    }
}
