package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** Builds webhook bodies in the shapes of the Server/Data Center fixtures ({@code repo:refs_changed}, {@code pr:*}). */
final class ServerEvents {

    /** Data Center sends at most this many commits in {@code commits[]}, most recent first. */
    static final int MAX_PAYLOAD_COMMITS = 5;

    /** A pull request as a test describes it for a {@code pr:*} event. */
    record PullRequest(long id, String title, String description, String fromBranch, String toBranch, String state,
                       String mergeCommit) {
    }

    private final ServerJson json;

    ServerEvents(ServerJson json) {
        this.json = json;
    }

    /**
     * {@code repo:refs_changed}. With {@code withCommits} (Data Center) the body also has {@code toCommit}
     * (tip of the first non-delete change, parents expanded) and {@code commits[]} (new commits, newest first).
     */
    ObjectNode refsChanged(ServerUser actor, ServerRepository repository, List<ServerGit.RefChange> changes,
                           boolean withCommits) throws IOException {
        ObjectNode body = FakeJson.object()
                .put("eventKey", "repo:refs_changed")
                .put("date", ServerJson.eventDate());
        body.set("actor", json.user(actor));
        body.set("repository", json.repository(repository));
        ArrayNode list = body.putArray("changes");
        for (ServerGit.RefChange change : changes) {
            ObjectNode node = list.addObject();
            node.putObject("ref")
                    .put("id", change.refId())
                    .put("displayId", Repository.shortenRefName(change.refId()))
                    .put("type", change.refId().startsWith(Constants.R_TAGS) ? "TAG" : "BRANCH");
            node.put("refId", change.refId())
                    .put("fromHash", change.fromHash())
                    .put("toHash", change.toHash())
                    .put("type", change.type());
        }
        if (withCommits) {
            addCommits(body, repository.git(), changes);
        }
        return body;
    }

    private void addCommits(ObjectNode body, Repository git, List<ServerGit.RefChange> changes) throws IOException {
        List<RevCommit> fresh = new ArrayList<>();
        RevCommit toCommit = null;
        try (RevWalk walk = new RevWalk(git)) {
            for (ServerGit.RefChange change : changes) {
                if (change.type().equals("DELETE")) {
                    continue;
                }
                RevCommit tip = walk.parseCommit(ObjectId.fromString(change.toHash()));
                if (toCommit == null) {
                    toCommit = tip;
                }
                fresh.addAll(newCommits(git, change, tip));
            }
        }
        if (toCommit == null) {
            return;
        }
        ObjectNode to = json.commit(ServerGit.commit(git, toCommit));
        ArrayNode parents = to.putArray("parents");
        for (RevCommit parent : ServerGit.commit(git, toCommit).getParents()) {
            parents.add(json.commit(ServerGit.commit(git, parent)));
        }
        body.set("toCommit", to);
        ArrayNode commits = body.putArray("commits");
        fresh.stream().distinct().limit(MAX_PAYLOAD_COMMITS).forEach(c -> commits.add(json.commit(c)));
    }

    /** Commits the change brought: from the old tip, or for a new ref those not on any other branch. */
    private static List<RevCommit> newCommits(Repository git, ServerGit.RefChange change, RevCommit tip) throws IOException {
        List<RevCommit> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(git)) {
            walk.markStart(walk.parseCommit(tip));
            if (change.type().equals("UPDATE")) {
                walk.markUninteresting(walk.parseCommit(ObjectId.fromString(change.fromHash())));
            } else {
                for (Ref other : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                    if (!other.getName().equals(change.refId()) && other.getObjectId() != null) {
                        walk.markUninteresting(walk.parseCommit(other.getObjectId()));
                    }
                }
            }
            for (RevCommit commit : walk) {
                out.add(commit);
                if (out.size() == MAX_PAYLOAD_COMMITS) {
                    break;
                }
            }
        }
        return out;
    }

    /** A {@code pr:*} event; both refs live in {@code repository}. */
    ObjectNode pullRequest(String eventKey, ServerUser actor, ServerRepository repository, PullRequest pr,
                           String previousFromHash) throws IOException {
        ObjectNode body = FakeJson.object()
                .put("eventKey", eventKey)
                .put("date", ServerJson.eventDate());
        body.set("actor", json.user(actor));
        long now = System.currentTimeMillis();
        ObjectNode node = body.putObject("pullRequest")
                .put("id", pr.id())
                .put("version", 0)
                .put("title", pr.title());
        if (pr.description() != null) {
            node.put("description", pr.description());
        }
        node.put("state", pr.state())
                .put("open", pr.state().equals("OPEN"))
                .put("closed", !pr.state().equals("OPEN"))
                .put("createdDate", now)
                .put("updatedDate", now);
        if (!pr.state().equals("OPEN")) {
            node.put("closedDate", now);
        }
        node.set("fromRef", ref(repository, pr.fromBranch()));
        node.set("toRef", ref(repository, pr.toBranch()));
        node.put("locked", false);
        if (pr.mergeCommit() != null) {
            node.putObject("properties").putObject("mergeCommit")
                    .put("displayId", pr.mergeCommit().substring(0, 11)).put("id", pr.mergeCommit());
        }
        ObjectNode author = node.putObject("author");
        author.set("user", json.user(actor));
        author.put("role", "AUTHOR").put("approved", false).put("status", "UNAPPROVED");
        node.putArray("reviewers");
        node.putArray("participants");
        String prUrl = json.repository(repository).path("links").path("self").path(0).path("href").asText()
                .replaceFirst("/browse$", "/pull-requests/" + pr.id());
        node.putObject("links").putArray("self").addObject().put("href", prUrl);
        if (previousFromHash != null) {
            body.put("previousFromHash", previousFromHash);
        }
        return body;
    }

    private ObjectNode ref(ServerRepository repository, String branch) throws IOException {
        Ref ref = repository.git().exactRef(Constants.R_HEADS + branch);
        ObjectNode node = FakeJson.object()
                .put("id", Constants.R_HEADS + branch)
                .put("displayId", branch)
                .put("type", "BRANCH")
                .put("latestCommit", ref == null ? ServerGit.ZERO : ref.getObjectId().name());
        node.set("repository", json.repository(repository));
        return node;
    }
}
