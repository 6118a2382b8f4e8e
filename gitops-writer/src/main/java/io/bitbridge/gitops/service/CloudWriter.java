package io.bitbridge.gitops.service;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.cloud.CloudSourceFiles;
import io.bitbridge.events.GitOpsCommitResult.Status;
import io.bitbridge.gitops.config.GitOpsConfig;
import io.bitbridge.gitops.repository.Target;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a desired state to Bitbucket Cloud as one commit ({@code POST /src} with {@code parents} = the head the
 * change was computed from, docs/bitbucket-api-notes.md §1): all files or none. When the branch moved (409) it reads
 * the new head, computes again (nothing left to change: no commit) and retries after a jittered backoff, at most
 * {@link GitOpsConfig#maxRetries()} times. Writers to one branch take turns within one process.
 */
@ApplicationScoped
public class CloudWriter {
    private final GitOpsConfig config;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    CloudWriter(GitOpsConfig config) {
        this.config = config;
    }

    /** The files to write and delete (repository paths) to turn the head into the desired state. */
    record Changes(SortedMap<String, byte[]> puts, List<String> deletes) {
        boolean isEmpty() {
            return puts.isEmpty() && deletes.isEmpty();
        }

        List<String> paths(Target target) {
            Set<String> all = new java.util.TreeSet<>(puts.keySet());
            all.addAll(deletes);
            return all.stream().map(target::relative).toList();
        }
    }

    /**
     * Writers to one branch take turns within this process (a fair lock): they would otherwise only conflict with
     * each other and waste attempts; the 409 retry is left for writers elsewhere (other instances, people).
     */
    public WriteOutcome write(CloudSourceFiles source, Target target, CommitOrder order) {
        ReentrantLock lock = locks.computeIfAbsent(target.repository().toLowerCase(Locale.ROOT) + "#" + target.branch(),
                key -> new ReentrantLock(true));
        lock.lock();
        try {
            return writeLocked(source, target, order);
        } finally {
            lock.unlock();
        }
    }

    private WriteOutcome writeLocked(CloudSourceFiles source, Target target, CommitOrder order) {
        int attempts = 0;
        String lastConflict = null;
        while (true) {
            Optional<String> head = source.branchHead(target.workspace(), target.repoSlug(), target.branch());
            if (head.isEmpty() && !order.createBranch()) {
                return WriteOutcome.failed(Status.REJECTED, attempts,
                        "branch " + target.branch() + " does not exist in " + target.repository());
            }
            // a branch to create starts from nothing here: Bitbucket makes it the root commit of an empty repository
            // (or branches it off the main branch, whose files outside the target's path it then keeps)
            String parent = head.orElse(null);
            Changes changes = parent == null ? planFromNothing(target, order.desired()) : plan(source, target, parent, order.desired());
            if (changes.isEmpty() && parent != null) {
                return new WriteOutcome(Status.NO_CHANGE, parent, parent, List.of(), attempts, null);
            }
            if (attempts > config.maxRetries()) {
                return new WriteOutcome(Status.CONFLICT, null, parent, changes.paths(target), attempts,
                        "the branch moved under each of " + attempts + " attempts; last answer: " + lastConflict);
            }
            attempts++;
            try {
                String commit = source.commit(target.workspace(), target.repoSlug(), new CloudSourceFiles.CommitSpec(
                        target.branch(), parent, order.messageWithTrailer(), order.author(), changes.puts(), changes.deletes()));
                return new WriteOutcome(Status.COMMITTED, commit, parent, changes.paths(target), attempts, null);
            } catch (BitbucketApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
                lastConflict = e.reason();
                RetryPause.before(attempts, config);
            }
        }
    }

    private static Changes planFromNothing(Target target, DesiredState desired) {
        Map<String, FileContent> wanted = desired instanceof DesiredState.FullSet full ? full.files() : ((DesiredState.Patch) desired).put();
        SortedMap<String, byte[]> puts = new TreeMap<>();
        wanted.forEach((relative, content) -> puts.put(target.repositoryPath(relative), content.bytes()));
        return new Changes(puts, List.of());
    }

    private Changes plan(CloudSourceFiles source, Target target, String head, DesiredState desired) {
        String ws = target.workspace();
        String repo = target.repoSlug();
        Map<String, FileContent> wanted;
        List<String> deletes = new ArrayList<>();
        Set<String> present;
        if (desired instanceof DesiredState.FullSet full) {
            wanted = full.files();
            present = new HashSet<>(source.filesUnder(ws, repo, head, target.directory()));
            Set<String> keep = new HashSet<>();
            wanted.keySet().forEach(relative -> keep.add(target.repositoryPath(relative)));
            present.stream().filter(path -> !keep.contains(path)).sorted().forEach(deletes::add);
        } else {
            DesiredState.Patch patch = (DesiredState.Patch) desired;
            wanted = patch.put();
            present = null;
            for (String relative : patch.delete()) {
                String path = target.repositoryPath(relative);
                if (source.read(ws, repo, head, path).isPresent()) {
                    deletes.add(path);
                }
            }
        }
        SortedMap<String, byte[]> puts = new TreeMap<>();
        for (Map.Entry<String, FileContent> file : wanted.entrySet()) {
            String path = target.repositoryPath(file.getKey());
            Optional<byte[]> current = present != null && !present.contains(path) ? Optional.empty() : source.read(ws, repo, head, path);
            byte[] content = file.getValue().bytes();
            if (current.isEmpty() || !Arrays.equals(current.get(), content)) {
                puts.put(path, content);
            }
        }
        return new Changes(puts, deletes);
    }
}
