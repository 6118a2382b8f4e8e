package io.bitbridge.fakes.cloud;

import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.User;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;

import java.util.List;
import java.util.Set;

/**
 * Who is calling and with which scopes.
 *
 * @param kind   how the caller authenticated
 * @param user   the user (for access tokens: the token's pseudo-user)
 * @param scopes the scopes granted to the credential
 * @param token  for repository/workspace access tokens: the token (limits reach and permission)
 */
record CloudPrincipal(Kind kind, User user, Set<String> scopes, CloudModel.ResourceToken token) {
    enum Kind { OAUTH, API_TOKEN, APP_PASSWORD, ACCESS_TOKEN }

    boolean has(CloudScopes needed) {
        if (kind == Kind.API_TOKEN) {
            return scopes.containsAll(needed.token());
        }
        return CloudScopes.closure(scopes).contains(needed.classic());
    }

    List<String> required(CloudScopes needed) {
        return kind == Kind.API_TOKEN ? needed.token() : List.of(needed.classic());
    }

    /** The caller's permission on a repository, or null for none. */
    CloudPermission permissionOn(Repo repo) {
        if (token != null) {
            boolean reaches = token.repo() != null ? token.repo() == repo : token.workspace() == repo.workspace;
            return reaches ? token.permission() : null;
        }
        return repo.workspace.permissionOf(user);
    }

    boolean ownsWorkspace(Workspace workspace) {
        if (token != null) {
            return token.repo() == null && token.workspace() == workspace && token.permission() == CloudPermission.ADMIN;
        }
        return workspace.isOwner(user);
    }

    boolean reachesWorkspace(Workspace workspace) {
        if (token != null) {
            return token.workspace() == workspace;
        }
        return workspace.permissionOf(user) != null;
    }
}
