package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.notAllowed;

/**
 * {@code /2.0/repositories/{ws}/{slug}/permissions-config/groups[/{group_slug}]}: a repository's explicit group
 * permissions (docs/bitbucket-api-notes.md §12). The caller is a repository admin (checked before); changing a
 * permission takes Basic authentication (app password or API token), not OAuth or an access token (403).
 */
final class CloudGroupPermissionApi {
    private final CloudState state;
    private final String base;

    CloudGroupPermissionApi(CloudState state, String base) {
        this.state = state;
        this.base = base;
    }

    FakeResponse handle(FakeRequest request, List<String> tail, CloudPrincipal who, Repo repo) throws IOException {
        String method = request.method();
        if (tail.size() == 2 && tail.get(0).equals("groups")) {
            return one(request, who, repo, tail.get(1));
        }
        if (tail.size() != 1 || !tail.get(0).equals("groups")) {
            return error(404, "Resource not found");
        }
        if (!method.equals("GET")) {
            return notAllowed();
        }
        List<ObjectNode> items = new ArrayList<>();
        for (Map.Entry<String, CloudPermission> grant : repo.groupPermissions.entrySet()) {
            items.add(json(repo, grant.getKey(), grant.getValue()));
        }
        return FakeResponse.json(200, CloudPaging.page(request, base, items, CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
    }

    private FakeResponse one(FakeRequest request, CloudPrincipal who, Repo repo, String groupSlug) throws IOException {
        String method = request.method();
        if (!repo.workspace.groups.containsKey(groupSlug)) {
            return error(404, "Group " + groupSlug + " not found in workspace " + repo.workspace.slug + ".");
        }
        switch (method) {
            case "GET" -> {
                CloudPermission held = repo.groupPermissions.get(groupSlug);
                return held == null ? error(404, "No explicit permission for group " + groupSlug + ".")
                        : FakeResponse.json(200, json(repo, groupSlug, held));
            }
            case "PUT" -> {
                if (!basic(who)) {
                    return error(403, "This endpoint supports app password (Basic) authentication only.");
                }
                JsonNode body = request.body().length == 0 ? FakeJson.object() : request.json();
                String value = body.path("permission").asText("");
                CloudPermission permission;
                try {
                    permission = CloudPermission.valueOf(value.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    return error(400, "Invalid permission '" + value + "': use read, write or admin.");
                }
                repo.groupPermissions.put(groupSlug, permission);
                return FakeResponse.json(200, json(repo, groupSlug, permission));
            }
            case "DELETE" -> {
                if (!basic(who)) {
                    return error(403, "This endpoint supports app password (Basic) authentication only.");
                }
                repo.groupPermissions.remove(groupSlug);
                return FakeResponse.empty(204);
            }
            default -> {
                return notAllowed();
            }
        }
    }

    private static boolean basic(CloudPrincipal who) {
        return who.kind() == CloudPrincipal.Kind.APP_PASSWORD || who.kind() == CloudPrincipal.Kind.API_TOKEN;
    }

    private ObjectNode json(Repo repo, String groupSlug, CloudPermission permission) {
        ObjectNode node = FakeJson.object().put("type", "repository_group_permission")
                .put("permission", permission.name().toLowerCase(Locale.ROOT));
        node.putObject("group").put("type", "group").put("name", repo.workspace.groups.get(groupSlug)).put("slug", groupSlug)
                .put("full_slug", repo.workspace.slug + ":" + groupSlug);
        node.putObject("repository").put("type", "repository").put("full_name", repo.fullName()).put("name", repo.slug)
                .put("uuid", repo.uuid);
        node.putObject("links").putObject("self").put("href", base + "/2.0/repositories/" + repo.fullName()
                + "/permissions-config/groups/" + groupSlug);
        return node;
    }
}
