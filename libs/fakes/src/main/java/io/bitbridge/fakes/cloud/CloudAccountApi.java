package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;

import java.util.ArrayList;
import java.util.List;

import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.require;

/** {@code /2.0/user} and {@code /2.0/user/workspaces}: who the caller is and which workspaces they reach. */
final class CloudAccountApi {
    private final CloudState state;
    private final String base;

    CloudAccountApi(CloudState state, String base) {
        this.state = state;
        this.base = base;
    }

    /** {@code path}: the segments after {@code user}. */
    FakeResponse handle(FakeRequest request, List<String> path, CloudPrincipal who) {
        if (!request.method().equals("GET")) {
            return error(404, "Resource not found");
        }
        if (path.isEmpty()) {
            require(who, CloudScopes.ACCOUNT);
            return FakeResponse.json(200, state.json.account(who.user()));
        }
        if (path.equals(List.of("workspaces"))) {
            require(who, CloudScopes.WORKSPACES);
            return userWorkspaces(request, who);
        }
        return error(404, "Resource not found");
    }

    private FakeResponse userWorkspaces(FakeRequest request, CloudPrincipal who) {
        String administrator = request.query("administrator");
        List<ObjectNode> items = new ArrayList<>();
        for (Workspace workspace : state.workspaces.values()) {
            if (!who.reachesWorkspace(workspace)) {
                continue;
            }
            boolean admin = who.ownsWorkspace(workspace);
            if (administrator != null && Boolean.parseBoolean(administrator) != admin) {
                continue;
            }
            items.add(state.json.workspaceAccess(workspace, admin));
        }
        return FakeResponse.json(200, CloudPaging.page(request, base, items, CloudPaging.DEFAULT_PAGELEN,
                CloudPaging.MAX_PAGELEN));
    }
}
