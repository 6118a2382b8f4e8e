package io.bitbridge.fakes.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Users, tokens, projects and repositories of {@link BitbucketServerFake}, and the permission rules.
 * Lookups of project keys and repository slugs are case-insensitive, like Bitbucket's.
 */
public final class ServerModel {

    /** Repository names: start with a letter or digit; letters, digits, space, '-', '_', '.'; at most 128. */
    private static final Pattern REPOSITORY_NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,127}");

    /** Who is calling: the user, and the token that authenticated them (null for anonymous). */
    public record Caller(ServerUser user, ServerAccessToken token) {
        static final Caller ANONYMOUS = new Caller(null, null);

        public boolean isAnonymous() {
            return user == null;
        }
    }

    private final Map<String, ServerUser> users = new LinkedHashMap<>();
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final Map<String, ServerAccessToken> tokens = new LinkedHashMap<>();
    private final Map<String, ServerProject> projects = new LinkedHashMap<>();
    private final Map<String, ServerRepository> repositories = new LinkedHashMap<>();
    private final Map<String, WebhookScope> projectWebhooks = new LinkedHashMap<>();
    private final AtomicInteger userIds = new AtomicInteger(1);
    private final AtomicInteger projectIds = new AtomicInteger(1);
    private final AtomicInteger repositoryIds = new AtomicInteger(1);
    private final AtomicInteger webhookIds = new AtomicInteger(1);
    private final AtomicInteger keyIds = new AtomicInteger(1);
    private volatile String instanceDefaultBranch = "master";

    // ---- users and tokens ------------------------------------------------------------------------------

    public synchronized ServerUser addUser(String slug, String displayName, ServerPermission globalPermission,
                                           String... groups) {
        String key = slug.toLowerCase(Locale.ROOT);
        if (users.containsKey(key)) {
            throw new IllegalArgumentException("user exists: " + slug);
        }
        ServerUser user = new ServerUser(userIds.getAndIncrement(), key, slug, displayName,
                key + "@example.com", globalPermission, Set.of(groups));
        users.put(key, user);
        // Every user has a personal project ~slug.
        projects.put("~" + key, new ServerProject(projectIds.getAndIncrement(), "~" + key, displayName, null, false, user));
        return user;
    }

    public synchronized void setPassword(String userSlug, String password) {
        passwords.put(userSlug.toLowerCase(Locale.ROOT), password);
    }

    public synchronized ServerAccessToken addToken(ServerAccessToken token) {
        if (user(token.ownerSlug()).isEmpty()) {
            throw new IllegalArgumentException("unknown token owner " + token.ownerSlug());
        }
        tokens.put(token.secret(), token);
        return token;
    }

    public synchronized Optional<ServerUser> user(String slug) {
        return Optional.ofNullable(slug == null ? null : users.get(slug.toLowerCase(Locale.ROOT)));
    }

    public synchronized Optional<ServerUser> userByEmail(String email) {
        return users.values().stream().filter(u -> u.emailAddress().equalsIgnoreCase(email)).findFirst();
    }

    /** A Bearer token: any kind of HTTP access token. */
    synchronized Optional<Caller> bearer(String secret) {
        ServerAccessToken token = liveToken(secret);
        return token == null ? Optional.empty() : user(token.ownerSlug()).map(u -> new Caller(u, token));
    }

    private ServerAccessToken liveToken(String secret) {
        ServerAccessToken token = tokens.get(secret);
        return token == null || token.isExpired() ? null : token;
    }

    /** Tokens of a user (personal), a project or a repository, oldest first. */
    synchronized List<ServerAccessToken> tokens(String ownerSlug, String projectKey, String repositorySlug) {
        return tokens.values().stream()
                .filter(t -> projectKey == null ? t.isPersonal() && t.ownerSlug().equals(ownerSlug)
                        : projectKey.equalsIgnoreCase(t.projectKey())
                        && (repositorySlug == null ? t.repositorySlug() == null : repositorySlug.equalsIgnoreCase(t.repositorySlug())))
                .toList();
    }

    synchronized boolean revokeToken(ServerAccessToken token) {
        return tokens.remove(token.secret()) != null;
    }

    /** Basic user:secret: the user's password or one of their personal tokens (project/repo tokens refuse). */
    synchronized Optional<Caller> basic(String userName, String secret) {
        Optional<ServerUser> user = user(userName);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        ServerAccessToken token = liveToken(secret);
        if (token != null && token.isPersonal() && token.ownerSlug().equals(user.get().slug())) {
            return Optional.of(new Caller(user.get(), token));
        }
        String password = passwords.get(user.get().slug());
        if (password != null && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Caller(user.get(), null));
        }
        return Optional.empty();
    }

    // ---- projects and repositories --------------------------------------------------------------------------

    public synchronized ServerProject addProject(String key, String name, String description) {
        String upper = key.toUpperCase(Locale.ROOT);
        if (projects.containsKey(upper)) {
            throw new IllegalArgumentException("project exists: " + key);
        }
        ServerProject project = new ServerProject(projectIds.getAndIncrement(), upper, name, description, false, null);
        projects.put(upper, project);
        return project;
    }

    public synchronized Optional<ServerProject> project(String key) {
        if (key == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(projects.get(key.startsWith("~") ? key.toLowerCase(Locale.ROOT) : key.toUpperCase(Locale.ROOT)));
    }

    public synchronized List<ServerProject> projects() {
        return List.copyOf(projects.values());
    }

    public synchronized Optional<ServerRepository> repository(String projectKey, String slug) {
        return project(projectKey).map(p -> repositories.get(repositoryKey(p, slug)));
    }

    /** Every repository, ordered by project key then slug (the order DC lists them in). */
    public synchronized List<ServerRepository> repositories() {
        List<ServerRepository> all = new ArrayList<>(repositories.values());
        all.sort(Comparator.comparing((ServerRepository r) -> r.project().key()).thenComparing(ServerRepository::slug));
        return all;
    }

    /** Validation of a repository name; null when valid, else the message DC gives. */
    static String nameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "Please enter a name for the repository.";
        }
        if (!REPOSITORY_NAME.matcher(name).matches()) {
            return "Repository names are limited to 128 characters. They must start with a letter or number "
                    + "and may contain spaces, hyphens, underscores, and periods.";
        }
        return null;
    }

    /** The slug DC derives from a name: lower case, runs of spaces become '-'. */
    static String slugOf(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-");
    }

    /**
     * Creates a repository; throws {@link IllegalStateException} when the slug is taken in the project and
     * {@link IllegalArgumentException} for an invalid name.
     */
    public synchronized ServerRepository createRepository(ServerProject project, String name, String description,
                                                          boolean isPublic, String defaultBranch) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String slug = slugOf(name);
        String key = repositoryKey(project, slug);
        if (repositories.containsKey(key)) {
            throw new IllegalStateException("This repository URL is already taken by '" + name + "' in '"
                    + project.name() + "'");
        }
        ServerRepository repository = new ServerRepository(repositoryIds.getAndIncrement(), project, slug, name,
                description, isPublic, defaultBranch == null || defaultBranch.isBlank() ? instanceDefaultBranch : defaultBranch);
        repositories.put(key, repository);
        return repository;
    }

    /** Renames a repository (its slug follows the name); IllegalStateException when the new slug is taken. */
    synchronized void renameRepository(ServerRepository repository, String newName) {
        String problem = nameProblem(newName);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String newSlug = slugOf(newName);
        String newKey = repositoryKey(repository.project(), newSlug);
        ServerRepository holder = repositories.get(newKey);
        if (holder != null && holder != repository) {
            throw new IllegalStateException("This repository URL is already taken by '" + holder.name() + "' in '"
                    + repository.project().name() + "'");
        }
        repositories.remove(repositoryKey(repository.project(), repository.slug()));
        repository.rename(newName, newSlug);
        repositories.put(newKey, repository);
    }

    synchronized boolean deleteRepository(ServerRepository repository) {
        return repositories.remove(repositoryKey(repository.project(), repository.slug())) != null;
    }

    /** The branch new repositories point HEAD at when the request names none (DC's default is "master"). */
    public void instanceDefaultBranch(String branch) {
        this.instanceDefaultBranch = branch;
    }

    /** Project-level webhooks; every repository of the project delivers to them too. */
    public synchronized WebhookScope projectWebhooks(ServerProject project) {
        return projectWebhooks.computeIfAbsent(project.key(), k -> new WebhookScope("project"));
    }

    int nextKeyId() {
        return keyIds.getAndIncrement();
    }

    int nextWebhookId() {
        return webhookIds.getAndIncrement();
    }

    private static String repositoryKey(ServerProject project, String slug) {
        return project.key() + "/" + slug.toLowerCase(Locale.ROOT);
    }

    // ---- permissions --------------------------------------------------------------------------------------------

    /** The caller's effective permission on a project (for creating repositories), or null. */
    ServerPermission permissionOn(Caller caller, ServerProject project) {
        if (caller.isAnonymous()) {
            return null;
        }
        ServerPermission granted = caller.user().globalPermission();
        if (project.isPersonal() && project.owner().slug().equals(caller.user().slug())) {
            granted = ServerPermission.max(granted, ServerPermission.PROJECT_ADMIN);
        }
        return capByToken(caller, project, null, granted);
    }

    /** The caller's effective permission on a repository, or null (anonymous may read public ones). */
    ServerPermission permissionOn(Caller caller, ServerRepository repository) {
        if (caller.isAnonymous()) {
            return repository.isPublic() ? ServerPermission.REPO_READ : null;
        }
        ServerPermission granted = permissionOnProjectOnly(caller.user(), repository.project());
        for (Map.Entry<String, ServerPermission> grant : repository.groupPermissions().entrySet()) {
            if (caller.user().groups().contains(grant.getKey())) {
                granted = ServerPermission.max(granted, grant.getValue());
            }
        }
        if (granted == null && repository.isPublic()) {
            granted = ServerPermission.REPO_READ;
        }
        return capByToken(caller, repository.project(), repository, granted);
    }

    private static ServerPermission permissionOnProjectOnly(ServerUser user, ServerProject project) {
        ServerPermission granted = user.globalPermission();
        if (project.isPersonal() && project.owner().slug().equals(user.slug())) {
            granted = ServerPermission.max(granted, ServerPermission.PROJECT_ADMIN);
        }
        return granted;
    }

    private static ServerPermission capByToken(Caller caller, ServerProject project, ServerRepository repository,
                                               ServerPermission granted) {
        ServerAccessToken token = caller.token();
        if (token == null) {
            return granted;
        }
        if (!token.isPersonal()) {
            boolean inScope = token.projectKey().equalsIgnoreCase(project.key())
                    && (token.repositorySlug() == null
                    || (repository != null && token.repositorySlug().equalsIgnoreCase(repository.slug())));
            if (!inScope) {
                return null;
            }
            // Project and repository tokens get exactly their own permission inside their scope.
            return token.permission();
        }
        return ServerPermission.min(granted, token.permission());
    }
}
