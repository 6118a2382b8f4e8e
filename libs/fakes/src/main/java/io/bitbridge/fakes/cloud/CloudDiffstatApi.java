package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.notAllowed;

/** {@code /2.0/repositories/{workspace}/{repo_slug}/diffstat/{spec}}: files changed by a commit or between two. */
final class CloudDiffstatApi {
    private final CloudState state;
    private final String base;

    CloudDiffstatApi(CloudState state, String base) {
        this.state = state;
        this.base = base;
    }

    /**
     * One hash: against its first parent. {@code A..B}: the reverse of {@code git diff} — A holds the changes,
     * B is the base; with {@code topic} (the default) the base is their merge base (three-dot).
     */
    FakeResponse handle(FakeRequest request, List<String> tail, Repo repo) throws IOException {
        if (!request.method().equals("GET") || tail.isEmpty()) {
            return tail.isEmpty() ? error(404, "Resource not found") : notAllowed();
        }
        String spec = String.join("/", tail);
        RevCommit target;
        RevCommit baseCommit;
        int dots = spec.indexOf("..");
        if (dots >= 0) {
            target = CloudCommitApi.resolveOr404(repo, spec.substring(0, dots));
            RevCommit other = CloudCommitApi.resolveOr404(repo, spec.substring(dots + 2));
            boolean topic = !"false".equalsIgnoreCase(request.query("topic"))
                    && !"false".equalsIgnoreCase(request.query("merge"));
            baseCommit = topic ? CloudGit.mergeBase(repo.git, target, other) : other;
        } else {
            target = CloudCommitApi.resolveOr404(repo, spec);
            baseCommit = target.getParentCount() == 0 ? null : CloudGit.parse(repo.git, target.getParent(0));
        }
        boolean renames = !"false".equalsIgnoreCase(request.query("renames"));
        List<ObjectNode> items = new ArrayList<>();
        for (CloudGit.Stat stat : CloudGit.diffstat(repo.git, target, baseCommit, request.queryAll("path"), renames)) {
            items.add(diffstatItem(repo, stat, target, baseCommit));
        }
        return FakeResponse.json(200, CloudPaging.page(request, base, items, 500, 5000));
    }

    private ObjectNode diffstatItem(Repo repo, CloudGit.Stat stat, RevCommit target, RevCommit baseCommit) {
        DiffEntry entry = stat.entry();
        String status = switch (entry.getChangeType()) {
            case ADD, COPY -> "added";
            case DELETE -> "removed";
            case RENAME -> "renamed";
            case MODIFY -> "modified";
        };
        ObjectNode node = FakeJson.object().put("type", "diffstat").put("lines_added", stat.added())
                .put("lines_removed", stat.removed()).put("status", status);
        boolean hasOld = entry.getChangeType() != DiffEntry.ChangeType.ADD
                && entry.getChangeType() != DiffEntry.ChangeType.COPY;
        boolean hasNew = entry.getChangeType() != DiffEntry.ChangeType.DELETE;
        node.set("old", hasOld ? fileRef(repo, baseCommit, entry.getOldPath()) : null);
        node.set("new", hasNew ? fileRef(repo, target, entry.getNewPath()) : null);
        return node;
    }

    private ObjectNode fileRef(Repo repo, RevCommit commit, String path) {
        ObjectNode node = FakeJson.object().put("path", path).put("type", "commit_file").put("escaped_path", path);
        ObjectNode links = node.putObject("links");
        CloudJson.href(links, "self", state.json.repoApi(repo) + "/src/" + commit.name() + "/" + path);
        return node;
    }
}
