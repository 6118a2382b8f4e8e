package io.bitbridge.fakes.cloud;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Git work on the fake's repositories, with JGit only (no working tree). */
final class CloudGit {
    private CloudGit() {
    }

    /** A tree entry: mode and blob id. */
    record Entry(FileMode mode, ObjectId id) {
    }

    /** One change of a diffstat. */
    record Stat(DiffEntry entry, int added, int removed) {
    }

    static boolean isEmpty(Repository git) throws IOException {
        return git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).isEmpty();
    }

    static RevCommit tip(Repository git, String branch) throws IOException {
        Ref ref = git.exactRef(Constants.R_HEADS + branch);
        if (ref == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(ref.getObjectId());
        }
    }

    /** A branch, tag or (possibly abbreviated) hash, or null when nothing matches. */
    static RevCommit resolve(Repository git, String revision) throws IOException {
        if (revision == null || revision.isBlank() || revision.contains("..")) {
            return null;
        }
        ObjectId id = null;
        for (String candidate : List.of(Constants.R_HEADS + revision, Constants.R_TAGS + revision)) {
            Ref ref = git.exactRef(candidate);
            if (ref != null) {
                id = ref.getObjectId();
                break;
            }
        }
        if (id == null && revision.matches("[0-9a-fA-F]{4,40}")) {
            id = git.resolve(revision); // an ambiguous abbreviation throws AmbiguousObjectException
        }
        if (id == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(git)) {
            RevObject object = walk.peel(walk.parseAny(id));
            return object instanceof RevCommit commit ? walk.parseCommit(commit) : null;
        } catch (org.eclipse.jgit.errors.MissingObjectException missing) {
            return null;
        }
    }

    static RevCommit parse(Repository git, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(id);
        }
    }

    static RevTag annotatedTag(Repository git, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            RevObject object = walk.parseAny(id);
            return object instanceof RevTag tag ? tag : null;
        }
    }

    /**
     * {@code git log include... ^exclude... [-- path]}, newest first, starting at {@code startAt} (a hash that
     * must be in the result) and returning at most {@code limit} commits.
     */
    static List<RevCommit> log(Repository git, List<RevCommit> include, List<RevCommit> exclude, String path,
                               String startAt, int limit) throws IOException {
        List<RevCommit> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(git)) {
            walk.sort(org.eclipse.jgit.revwalk.RevSort.COMMIT_TIME_DESC);
            for (RevCommit commit : include) {
                walk.markStart(walk.parseCommit(commit));
            }
            for (RevCommit commit : exclude) {
                walk.markUninteresting(walk.parseCommit(commit));
            }
            if (path != null && !path.isBlank()) {
                walk.setTreeFilter(AndTreeFilter.create(PathFilterGroup.createFromStrings(normalizePath(path)),
                        TreeFilter.ANY_DIFF));
            }
            boolean started = startAt == null;
            for (RevCommit commit : walk) {
                if (!started) {
                    started = commit.name().startsWith(startAt);
                    if (!started) {
                        continue;
                    }
                }
                out.add(commit);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** Changes that turn {@code base} (null: the empty tree) into {@code target}, renames detected. */
    static List<Stat> diffstat(Repository git, RevCommit target, RevCommit base, List<String> paths,
                               boolean renames) throws IOException {
        try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE);
             ObjectReader reader = git.newObjectReader()) {
            formatter.setRepository(git);
            formatter.setDiffComparator(RawTextComparator.DEFAULT);
            formatter.setDetectRenames(renames);
            if (paths != null && !paths.isEmpty()) {
                formatter.setPathFilter(PathFilterGroup.createFromStrings(paths.stream().map(CloudGit::normalizePath)
                        .toList()));
            }
            var oldTree = base == null ? new EmptyTreeIterator() : new CanonicalTreeParser(null, reader, base.getTree());
            var newTree = new CanonicalTreeParser(null, reader, target.getTree());
            List<Stat> stats = new ArrayList<>();
            for (DiffEntry entry : formatter.scan(oldTree, newTree)) {
                int added = 0;
                int removed = 0;
                for (Edit edit : formatter.toFileHeader(entry).toEditList()) {
                    added += edit.getLengthB();
                    removed += edit.getLengthA();
                }
                stats.add(new Stat(entry, added, removed));
            }
            return stats;
        }
    }

    static RevCommit mergeBase(Repository git, RevCommit a, RevCommit b) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(a));
            walk.markStart(walk.parseCommit(b));
            RevCommit base = walk.next();
            return base == null ? null : parse(git, base);
        }
    }

    /** Every file of a commit's tree: path to entry, sorted by path. */
    static SortedMap<String, Entry> files(Repository git, RevCommit commit) throws IOException {
        SortedMap<String, Entry> files = new TreeMap<>();
        if (commit == null) {
            return files;
        }
        try (TreeWalk walk = new TreeWalk(git)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                files.put(walk.getPathString(), new Entry(walk.getFileMode(0), walk.getObjectId(0)));
            }
        }
        return files;
    }

    /** Writes the nested trees for a flat path map; returns the root tree id. */
    static ObjectId writeTree(ObjectInserter inserter, SortedMap<String, Entry> files) throws IOException {
        return writeTree(inserter, files, "");
    }

    private static ObjectId writeTree(ObjectInserter inserter, SortedMap<String, Entry> files, String prefix)
            throws IOException {
        // Git sorts tree entries by name, a directory as if its name ended in '/'.
        SortedMap<String, Object> children = new TreeMap<>();
        Map<String, SortedMap<String, Entry>> directories = new TreeMap<>();
        for (var file : files.entrySet()) {
            if (!file.getKey().startsWith(prefix)) {
                continue;
            }
            String rest = file.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                children.put(rest, file.getValue());
            } else {
                String directory = rest.substring(0, slash);
                directories.computeIfAbsent(directory, d -> new TreeMap<>()).put(file.getKey(), file.getValue());
                children.put(directory + "/", directory);
            }
        }
        TreeFormatter tree = new TreeFormatter();
        for (var child : children.entrySet()) {
            if (child.getValue() instanceof Entry entry) {
                tree.append(child.getKey(), entry.mode(), entry.id());
            } else {
                String directory = (String) child.getValue();
                tree.append(directory, FileMode.TREE,
                        writeTree(inserter, directories.get(directory), prefix + directory + "/"));
            }
        }
        return inserter.insert(tree);
    }

    /** Creates a commit object (refs untouched). */
    static ObjectId commit(Repository git, SortedMap<String, Entry> files, List<ObjectId> parents,
                           PersonIdent author, String message) throws IOException {
        try (ObjectInserter inserter = git.newObjectInserter()) {
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(writeTree(inserter, files));
            commit.setParentIds(parents);
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    static ObjectId blob(Repository git, byte[] content) throws IOException {
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId id = inserter.insert(Constants.OBJ_BLOB, content);
            inserter.flush();
            return id;
        }
    }

    static byte[] read(Repository git, ObjectId blob) throws IOException {
        return git.open(blob, Constants.OBJ_BLOB).getBytes();
    }

    /**
     * Moves a ref from {@code expected} (null: must not exist) to {@code target} (null: delete).
     *
     * @return whether the ref moved; false means someone else moved it first
     */
    static boolean moveRef(Repository git, String ref, ObjectId expected, ObjectId target) throws IOException {
        RefUpdate update = git.updateRef(ref);
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setForceUpdate(true);
        if (target == null) {
            RefUpdate.Result result = update.delete();
            return result == RefUpdate.Result.FORCED || result == RefUpdate.Result.FAST_FORWARD
                    || result == RefUpdate.Result.NO_CHANGE;
        }
        update.setNewObjectId(target);
        RefUpdate.Result result = update.update();
        return result == RefUpdate.Result.NEW || result == RefUpdate.Result.FORCED
                || result == RefUpdate.Result.FAST_FORWARD || result == RefUpdate.Result.NO_CHANGE;
    }

    static void pointHead(Repository git, String branch) throws IOException {
        git.updateRef(Constants.HEAD).link(Constants.R_HEADS + branch);
    }

    /** A repository path: no leading slash, no empty, '.' or '..' segments; null when invalid. */
    static String normalizePath(String raw) {
        String path = raw.startsWith("/") ? raw.substring(1) : raw;
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.equals(".git")) {
                return null;
            }
        }
        return path;
    }

    /** Total size of the blobs on the main branch (the {@code size} field of a repository). */
    static long size(Repository git, RevCommit commit) throws IOException {
        long size = 0;
        try (ObjectReader reader = git.newObjectReader()) {
            for (Entry entry : files(git, commit).values()) {
                size += reader.getObjectSize(entry.id(), Constants.OBJ_BLOB);
            }
        }
        return size;
    }
}
