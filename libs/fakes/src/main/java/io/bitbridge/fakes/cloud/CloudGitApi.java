package io.bitbridge.fakes.cloud;

import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.GitSmartHttp;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.ReceiveCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** git smart HTTP at {@code /{workspace}/{repo_slug}.git/...}: clone, fetch and push; a push delivers {@code repo:push}. */
final class CloudGitApi {
    private final CloudState state;
    private final CloudAuthenticator auth;

    CloudGitApi(CloudState state, CloudAuthenticator auth) {
        this.state = state;
        this.auth = auth;
    }

    FakeResponse handle(FakeRequest request) throws IOException {
        List<String> segments = request.segments();
        String slug = segments.get(1).substring(0, segments.get(1).length() - ".git".length());
        String suffix = String.join("/", segments.subList(2, segments.size()));
        Workspace workspace = state.findWorkspace(segments.get(0));
        Repo repo = workspace == null ? null : state.findRepo(workspace, slug);
        if (GitSmartHttp.service(request, suffix) == null) {
            return FakeResponse.text(404, "Not found");
        }
        CloudAuthenticator.Outcome outcome = auth.git(request);
        if (outcome.principal() == null) {
            return FakeResponse.text(401, "Authentication failed")
                    .header("WWW-Authenticate", "Basic realm=\"Bitbucket.org HTTP\"");
        }
        CloudPrincipal who = outcome.principal();
        boolean push = GitSmartHttp.isPush(request, suffix);
        if (!who.has(push ? CloudScopes.REPO_WRITE : CloudScopes.REPO_READ)) {
            return FakeResponse.text(403, "Your credentials lack one or more required privilege scopes.");
        }
        CloudPermission held = repo == null ? null : who.permissionOn(repo);
        if (held == null) {
            return FakeResponse.text(404, "Repository not found");
        }
        if (push && !held.includes(CloudPermission.WRITE)) {
            return FakeResponse.text(403, "You do not have write access to this repository.");
        }
        boolean wasEmpty = CloudGit.isEmpty(repo.git);
        return GitSmartHttp.serve(request, suffix, repo.git, commands -> {
            try {
                adoptMainBranch(repo, wasEmpty, commands);
                List<CloudEvents.RefMove> moves = new ArrayList<>();
                for (ReceiveCommand command : commands) {
                    moves.add(new CloudEvents.RefMove(command.getRefName(), nullIfZero(command.getOldId()),
                            nullIfZero(command.getNewId())));
                }
                state.pushed(repo, who, moves);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A first push into an empty repository without its main branch makes the pushed branch the main one. */
    private static void adoptMainBranch(Repo repo, boolean wasEmpty, List<ReceiveCommand> commands)
            throws IOException {
        if (!wasEmpty || repo.git.exactRef(Constants.R_HEADS + repo.mainBranch) != null) {
            return;
        }
        commands.stream().map(ReceiveCommand::getRefName).filter(r -> r.startsWith(Constants.R_HEADS)).findFirst()
                .ifPresent(ref -> {
                    repo.mainBranch = ref.substring(Constants.R_HEADS.length());
                    try {
                        CloudGit.pointHead(repo.git, repo.mainBranch);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static ObjectId nullIfZero(ObjectId id) {
        return id == null || ObjectId.zeroId().equals(id) ? null : id;
    }
}
