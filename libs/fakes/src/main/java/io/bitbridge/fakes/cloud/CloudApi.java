package io.bitbridge.fakes.cloud;

import io.bitbridge.fakes.cloud.CloudErrors.Refusal;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.gone;
import static io.bitbridge.fakes.cloud.CloudErrors.rateLimited;

/**
 * The Cloud fake's {@code /2.0} REST API and git smart HTTP: rate limiting, removed endpoints and authentication
 * here, then one class per resource (as the Server fake's): {@link CloudAccountApi}, {@link CloudRepositoryApi}
 * (which hands over to refs, commits, diffstat, source and hooks) and {@link CloudHookApi} for workspace hooks,
 * {@link CloudGitApi} for git. Called under the fake's lock.
 */
final class CloudApi {
    private final CloudState state;
    private final CloudAuthenticator auth;
    private final CloudAccountApi account;
    private final CloudRepositoryApi repositories;
    private final CloudHookApi hooks;
    private final CloudGitApi git;

    CloudApi(CloudState state, String base) {
        this.state = state;
        this.auth = new CloudAuthenticator(state);
        this.account = new CloudAccountApi(state, base);
        this.hooks = new CloudHookApi(state, base);
        this.repositories = new CloudRepositoryApi(state, base, hooks);
        this.git = new CloudGitApi(state, auth);
    }

    /** {@code /2.0/...}. */
    FakeResponse api(FakeRequest request) throws IOException {
        List<String> path = request.segments().subList(1, request.segments().size());
        if (state.rateLimited) {
            return rateLimited();
        }
        if (request.method().equals("GET") && (path.equals(List.of("repositories")) || path.equals(List.of("workspaces"))
                || path.equals(List.of("user", "permissions", "repositories"))
                || path.equals(List.of("user", "permissions", "workspaces")))) {
            return gone();
        }
        CloudAuthenticator.Outcome outcome = auth.api(request);
        if (outcome.failure() != null) {
            return outcome.failure();
        }
        if (outcome.principal() == null) {
            return error(401, "This API is only accessible with the following authentication types: "
                    + "session, password, apppassword, api_token, repo_access_token, workspace_access_token");
        }
        try {
            return route(request, path, outcome.principal());
        } catch (Refusal refusal) {
            return refusal.response;
        } catch (CloudPaging.BadPage | IllegalArgumentException | UncheckedIOException bad) {
            return error(400, bad.getMessage());
        }
    }

    /** git smart HTTP, {@code /{workspace}/{repo_slug}.git/...}. */
    FakeResponse git(FakeRequest request) throws IOException {
        return git.handle(request);
    }

    private FakeResponse route(FakeRequest request, List<String> path, CloudPrincipal who) throws IOException {
        String head = path.isEmpty() ? "" : path.get(0);
        List<String> tail = path.isEmpty() ? List.of() : path.subList(1, path.size());
        if (head.equals("user") && tail.size() <= 1) {
            return account.handle(request, tail, who);
        }
        if (head.equals("repositories") && !tail.isEmpty()) {
            return repositories.handle(request, tail, who);
        }
        if (head.equals("workspaces") && tail.size() >= 2 && tail.get(1).equals("hooks")) {
            return hooks.workspaceHooks(request, tail.subList(2, tail.size()), who, state.findWorkspace(tail.get(0)));
        }
        return error(404, "Resource not found");
    }
}
