package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.User;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Builds webhook bodies shaped like Bitbucket Cloud's (see the repo:push and pullrequest:* fixtures). */
final class CloudEvents {
    /** Bitbucket puts at most this many commits in one change and sets {@code truncated} beyond. */
    static final int MAX_COMMITS_PER_CHANGE = 5;

    private final CloudJson json;

    CloudEvents(CloudJson json) {
        this.json = json;
    }

    /** A ref that moved: {@code oldId} null means created, {@code newId} null means deleted. */
    record RefMove(String ref, ObjectId oldId, ObjectId newId) {
    }

    ObjectNode push(Repo repo, User actor, User owner, List<RefMove> moves) throws IOException {
        ObjectNode body = FakeJson.object();
        ArrayNode changes = body.putObject("push").putArray("changes");
        for (RefMove move : moves) {
            changes.add(change(repo, move));
        }
        body.set("repository", json.repositoryInEvent(repo, owner));
        body.set("actor", json.user(actor));
        return body;
    }

    private ObjectNode change(Repo repo, RefMove move) throws IOException {
        Repository git = repo.git;
        boolean tag = move.ref().startsWith(Constants.R_TAGS);
        String name = tag ? move.ref().substring(Constants.R_TAGS.length())
                : move.ref().substring(Constants.R_HEADS.length());
        boolean created = move.oldId() == null;
        boolean closed = move.newId() == null;
        ObjectNode change = FakeJson.object();
        change.set("old", created ? null : ref(repo, tag, name, move.oldId()));
        change.set("new", closed ? null : ref(repo, tag, name, move.newId()));
        RevCommit oldCommit = created ? null : peel(git, move.oldId());
        RevCommit newCommit = closed ? null : peel(git, move.newId());
        boolean forced = !created && !closed && oldCommit != null && newCommit != null
                && !isAncestor(git, oldCommit, newCommit);
        List<RevCommit> commits = tag || closed ? List.of() : pushedCommits(repo, move.ref(), oldCommit, newCommit);
        boolean truncated = commits.size() > MAX_COMMITS_PER_CHANGE;
        change.put("truncated", truncated).put("created", created).put("forced", forced).put("closed", closed);
        if (!closed) {
            ObjectNode links = change.putObject("links");
            String api = json.repoApi(repo);
            String web = json.repoWeb(repo);
            if (created) {
                CloudJson.href(links, "commits", api + "/commits?include=" + newCommit.name());
                if (!tag) {
                    CloudJson.href(links, "html", web + "/branch/" + name);
                }
            } else {
                String span = newCommit.name() + ".." + oldCommit.name();
                CloudJson.href(links, "commits", api + "/commits?include=" + newCommit.name() + "&exclude="
                        + oldCommit.name());
                CloudJson.href(links, "diff", api + "/diff/" + span);
                CloudJson.href(links, "html", web + "/branches/compare/" + span);
            }
        }
        if (!tag && !closed) {
            ArrayNode list = change.putArray("commits");
            commits.stream().limit(MAX_COMMITS_PER_CHANGE).forEach(c -> list.add(json.commit(repo, c, false)));
        }
        return change;
    }

    private ObjectNode ref(Repo repo, boolean tag, String name, ObjectId id) throws IOException {
        RevCommit target = peel(repo.git, id);
        return tag ? json.tag(repo, name, target, CloudGit.annotatedTag(repo.git, id), false)
                : json.branch(repo, name, target, false);
    }

    private static RevCommit peel(Repository git, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            var object = walk.peel(walk.parseAny(id));
            return object instanceof RevCommit commit ? walk.parseCommit(commit) : null;
        }
    }

    private static boolean isAncestor(Repository git, RevCommit ancestor, RevCommit descendant) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(descendant));
        }
    }

    /**
     * The commits a push added to a branch, newest first, one more than the limit so truncation shows: for an
     * update {@code new ^old}; for a new branch, what no other branch already has.
     */
    private static List<RevCommit> pushedCommits(Repo repo, String refName, RevCommit oldCommit, RevCommit newCommit)
            throws IOException {
        List<RevCommit> exclude = new java.util.ArrayList<>();
        if (oldCommit != null) {
            exclude.add(oldCommit);
        } else {
            for (Ref other : repo.git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                if (!other.getName().equals(refName)) {
                    exclude.add(CloudGit.parse(repo.git, other.getObjectId()));
                }
            }
        }
        return CloudGit.log(repo.git, List.of(newCommit), exclude, null, null, MAX_COMMITS_PER_CHANGE + 1);
    }

    /**
     * A {@code pullrequest:*} body: {@code pullrequest}, {@code actor}, {@code repository}, with 12-character
     * short hashes as Cloud sends in pull-request payloads.
     */
    ObjectNode pullRequest(Repo repo, User actor, User owner, PullRequestSpec spec, Instant now) throws IOException {
        RevCommit source = CloudGit.tip(repo.git, spec.sourceBranch());
        RevCommit destination = CloudGit.tip(repo.git, spec.destinationBranch());
        if (source == null || destination == null) {
            throw new IllegalArgumentException("source and destination branches must exist in " + repo.fullName());
        }
        String api = json.repoApi(repo) + "/pullrequests/" + spec.id();
        ObjectNode pr = FakeJson.object();
        pr.put("comment_count", 0).put("task_count", 0).put("type", "pullrequest").put("id", spec.id())
                .put("title", spec.title()).put("description", spec.description());
        ObjectNode rendered = pr.putObject("rendered");
        rendered.set("title", CloudJson.rendered(spec.title()));
        rendered.set("description", CloudJson.rendered(spec.description()));
        pr.put("state", spec.state()).put("draft", spec.draft());
        pr.set("merge_commit", null);
        pr.put("close_source_branch", false);
        pr.set("closed_by", spec.state().equals("OPEN") ? null : json.user(actor));
        pr.set("author", json.user(actor));
        pr.put("reason", "").put("created_on", CloudJson.date(now)).put("updated_on", CloudJson.date(now));
        pr.set("destination", endpoint(repo, spec.destinationBranch(), destination));
        pr.set("source", endpoint(repo, spec.sourceBranch(), source));
        pr.putArray("reviewers");
        pr.putArray("participants");
        ObjectNode links = pr.putObject("links");
        for (String link : List.of("self", "approve", "request-changes", "diff", "diffstat", "comments", "activity",
                "merge", "decline", "statuses", "commits")) {
            CloudJson.href(links, link, link.equals("self") ? api : api + "/" + link);
        }
        CloudJson.href(links, "html", json.repoWeb(repo) + "/pull-requests/" + spec.id());
        pr.set("summary", CloudJson.rendered(spec.description()));
        ObjectNode body = FakeJson.object();
        body.set("repository", json.repositoryInEvent(repo, owner));
        body.set("actor", json.user(actor));
        body.set("pullrequest", pr);
        return body;
    }

    private ObjectNode endpoint(Repo repo, String branch, RevCommit tip) {
        ObjectNode node = FakeJson.object();
        ObjectNode branchNode = node.putObject("branch").put("name", branch);
        branchNode.putObject("links");
        branchNode.putArray("sync_strategies").add("merge_commit").add("rebase");
        node.set("commit", json.commitRef(repo, tip.name().substring(0, 12)));
        node.set("repository", json.repositoryRef(repo));
        return node;
    }
}
