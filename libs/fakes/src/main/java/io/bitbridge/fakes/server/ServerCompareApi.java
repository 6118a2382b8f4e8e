package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

import java.io.IOException;
import java.util.List;

/**
 * {@code .../repos/{slug}/compare/changes?from=&to=}: the file changes in {@code from} that {@code to} lacks, as a pull
 * request shows them (against the merge base of the two), paged with {@code start}/{@code limit}. {@code from} is
 * required (400 without it); {@code to} defaults to the repository's default branch; an unknown revision is a 404
 * NoSuchCommitException (the only error status Data Center's OpenAPI document lists for this resource).
 */
final class ServerCompareApi {
    private static final String BAD_REQUEST = "com.atlassian.bitbucket.rest.BadRequestException";
    private static final String NO_SUCH_COMMIT = "com.atlassian.bitbucket.commit.NoSuchCommitException";

    private ServerCompareApi() {
    }

    static FakeResponse changes(FakeRequest request, ServerRepository repository) throws IOException {
        String fromParam = request.query("from");
        if (fromParam == null || fromParam.isBlank()) {
            return ServerJson.error(400, "from", "The 'from' parameter is required.", BAD_REQUEST);
        }
        String toParam = request.query("to");
        String toName = toParam == null || toParam.isBlank() ? Constants.R_HEADS + repository.defaultBranch() : toParam;
        ObjectId from = ServerGit.resolve(repository.git(), fromParam);
        if (from == null) {
            return noSuchCommit("from", fromParam);
        }
        ObjectId to = ServerGit.resolve(repository.git(), toName);
        if (to == null) {
            return noSuchCommit("to", toName);
        }
        List<DiffEntry> entries = ServerGit.changes(repository.git(), from, mergeBase(repository, from, to));
        ObjectNode page = ServerRestApi.pageNode(request, entries, ServerJson::change);
        return FakeResponse.json(200, page);
    }

    /** The merge base, or {@code to} itself when the two share no history (the comparison is then against it). */
    private static ObjectId mergeBase(ServerRepository repository, ObjectId from, ObjectId to) throws IOException {
        try (RevWalk walk = new RevWalk(repository.git())) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(from));
            walk.markStart(walk.parseCommit(to));
            RevCommit base = walk.next();
            return base == null ? to : base;
        }
    }

    private static FakeResponse noSuchCommit(String parameter, String value) {
        return ServerJson.error(404, parameter, "Commit '" + value + "' does not exist in this repository.", NO_SUCH_COMMIT);
    }
}
