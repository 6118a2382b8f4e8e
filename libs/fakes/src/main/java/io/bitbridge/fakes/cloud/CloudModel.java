package io.bitbridge.fakes.cloud;

import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The fake's state: plain mutable objects, guarded by the fake's lock. */
final class CloudModel {
    private CloudModel() {
    }

    static String braced(UUID uuid) {
        return "{" + uuid + "}";
    }

    static String newUuid() {
        return braced(UUID.randomUUID());
    }

    static final class User {
        final String uuid = newUuid();
        final String accountId;
        final String nickname;
        final String displayName;
        final String email;
        final Instant createdOn;

        User(String nickname, String displayName, String email, Instant createdOn) {
            this.nickname = nickname;
            this.displayName = displayName;
            this.email = email;
            this.createdOn = createdOn;
            this.accountId = "712020:" + UUID.nameUUIDFromBytes(nickname.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static final class Workspace {
        final String uuid = newUuid();
        final String slug;
        final String name;
        final Instant createdOn;
        final String projectUuid = newUuid();
        final String projectKey;
        /** Members and the repository permission they hold on every repository here. */
        final Map<User, CloudPermission> members = new LinkedHashMap<>();
        final Set<User> owners = new LinkedHashSet<>();
        final Map<String, Repo> repositories = new LinkedHashMap<>();
        final Map<String, Hook> hooks = new LinkedHashMap<>();
        /** The workspace's user groups: slug -> name. */
        final Map<String, String> groups = new LinkedHashMap<>();

        Workspace(String slug, Instant createdOn) {
            this.slug = slug;
            this.name = slug;
            this.createdOn = createdOn;
            this.projectKey = slug.replaceAll("[^A-Za-z0-9]", "").toUpperCase(java.util.Locale.ROOT);
        }

        CloudPermission permissionOf(User user) {
            return members.get(user);
        }

        boolean isOwner(User user) {
            return owners.contains(user);
        }
    }

    static final class Repo {
        final String uuid = newUuid();
        final Workspace workspace;
        final String slug;
        final InMemoryRepository git;
        final Instant createdOn;
        /** The main branch's name; Bitbucket keeps it even while the repository is empty. */
        String mainBranch;
        Instant updatedOn;
        final Map<String, Hook> hooks = new LinkedHashMap<>();
        /** commit hash -> status key -> status JSON fields. */
        final Map<String, Map<String, CommitStatus>> statuses = new LinkedHashMap<>();
        /** Explicit group permissions on this repository: group slug -> permission. */
        final Map<String, CloudPermission> groupPermissions = new LinkedHashMap<>();

        Repo(Workspace workspace, String slug, String mainBranch, Instant createdOn) {
            this.workspace = workspace;
            this.slug = slug;
            this.mainBranch = mainBranch;
            this.createdOn = createdOn;
            this.updatedOn = createdOn;
            this.git = new InMemoryRepository(new DfsRepositoryDescription(workspace.slug + "/" + slug));
        }

        String fullName() {
            return workspace.slug + "/" + slug;
        }
    }

    static final class CommitStatus {
        String key;
        String state;
        String name;
        String description;
        String url;
        String refname;
        final String uuid = newUuid();
        Instant createdOn;
        Instant updatedOn;
    }

    static final class Hook {
        final String uuid = newUuid();
        /** The repository, or null for a workspace hook. */
        final Repo repo;
        final Workspace workspace;
        final Instant createdAt;
        String url;
        String description = "";
        boolean active = true;
        List<String> events = new ArrayList<>();
        String secret;
        boolean skipCertVerification;
        boolean historyEnabled;

        Hook(Workspace workspace, Repo repo, Instant createdAt) {
            this.workspace = workspace;
            this.repo = repo;
            this.createdAt = createdAt;
        }

        /** Whether this hook hears events of the repository. */
        boolean covers(Repo target) {
            return repo == null ? target.workspace == workspace : repo == target;
        }
    }

    /** An OAuth consumer; its scopes are fixed on it (the authorize request takes none). */
    record OAuthConsumer(String key, String secret, String callbackUrl, User owner, Set<String> scopes,
                    boolean privateConsumer) {
    }

    /** {@code codeChallenge} and its method when the authorize request carried PKCE (RFC 7636), else null. */
    record AuthorizationCode(String code, OAuthConsumer consumer, User user, String redirectUri, String codeChallenge,
                             String codeChallengeMethod) {
    }

    record AccessToken(String token, OAuthConsumer consumer, User user, Set<String> scopes, Instant expiresAt) {
    }

    record RefreshToken(String token, OAuthConsumer consumer, User user, Set<String> scopes) {
    }

    /** A user API token: Basic {@code email:token}; Forge-style scopes that imply nothing. */
    record ApiToken(String token, User user, Set<String> scopes, Instant expiresAt) {
    }

    /** A (deprecated) app password: Basic {@code username:password}; classic scopes. */
    record AppPassword(String password, User user, Set<String> scopes) {
    }

    /**
     * A repository or workspace access token (Bearer). It acts as a pseudo-user named after the token and
     * reaches only its repository (or the repositories of its workspace).
     */
    record ResourceToken(String token, String name, Workspace workspace, Repo repo, Set<String> scopes,
                         CloudPermission permission, User pseudoUser) {
    }
}
