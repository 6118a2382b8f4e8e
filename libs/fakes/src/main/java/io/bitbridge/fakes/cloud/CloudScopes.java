package io.bitbridge.fakes.cloud;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an operation needs: one classic scope (OAuth consumers, app passwords, access tokens) and the
 * Forge-style scopes of a user API token (all of them, as listed in the spec's
 * {@code x-atlassian-oauth2-scopes}).
 */
record CloudScopes(String classic, List<String> token) {
    static final CloudScopes ACCOUNT = new CloudScopes("account", List.of("read:user:bitbucket"));
    static final CloudScopes WORKSPACES = new CloudScopes("account", List.of("read:workspace:bitbucket"));
    static final CloudScopes REPO_READ = new CloudScopes("repository", List.of("read:repository:bitbucket"));
    static final CloudScopes REPO_WRITE = new CloudScopes("repository:write", List.of("write:repository:bitbucket"));
    static final CloudScopes REPO_ADMIN = new CloudScopes("repository:admin", List.of("admin:repository:bitbucket"));
    static final CloudScopes BRANCH_CREATE = new CloudScopes("repository:write",
            List.of("write:repository:bitbucket", "read:repository:bitbucket"));
    /** The spec asks only for read scopes to post a build status. */
    static final CloudScopes STATUS_WRITE = new CloudScopes("repository", List.of("read:repository:bitbucket"));
    static final CloudScopes HOOK_READ = new CloudScopes("webhook", List.of("read:webhook:bitbucket"));
    static final CloudScopes HOOK_WRITE = new CloudScopes("webhook",
            List.of("read:webhook:bitbucket", "write:webhook:bitbucket"));
    static final CloudScopes HOOK_DELETE = new CloudScopes("webhook", List.of("delete:webhook:bitbucket"));

    /**
     * Classic scope implications (docs/bitbucket-api-notes.md §3 and Atlassian's scope page): {@code x:write} includes
     * {@code x}; {@code pullrequest} includes {@code repository}; {@code pullrequest:write} includes
     * {@code repository:write}; {@code project:admin} includes {@code project}. {@code repository:admin} and
     * {@code repository:delete} include neither read nor write.
     */
    private static final Map<String, List<String>> IMPLIES = Map.of(
            "repository:write", List.of("repository"),
            "pullrequest", List.of("repository"),
            "pullrequest:write", List.of("pullrequest", "repository:write"),
            "account:write", List.of("account"),
            "project:admin", List.of("project"),
            "issue:write", List.of("issue"),
            "snippet:write", List.of("snippet"),
            "pipeline:write", List.of("pipeline"),
            "runner:write", List.of("runner"));

    static Set<String> closure(Set<String> granted) {
        Set<String> all = new LinkedHashSet<>();
        List<String> pending = new java.util.ArrayList<>(granted);
        while (!pending.isEmpty()) {
            String scope = pending.remove(pending.size() - 1);
            if (all.add(scope)) {
                pending.addAll(IMPLIES.getOrDefault(scope, List.of()));
            }
        }
        return all;
    }
}
