package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.FaultInjector;
import io.bitbridge.fakes.common.RequestRecorder;
import io.bitbridge.fakes.common.RetryPolicy;
import io.bitbridge.fakes.common.WebhookSender;
import io.bitbridge.fakes.cloud.CloudModel.OAuthConsumer;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.User;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TimeZone;
import java.util.function.Consumer;

/**
 * A faithful, in-process Bitbucket Cloud 2.0 fake backed by real git repositories (JGit, in memory), built to
 * the behaviour recorded in {@code docs/bitbucket-api-notes.md} §1-6.
 *
 * <p>Served under one base URL: the REST API at {@code /2.0}, OAuth at {@code /site/oauth2/authorize} and
 * {@code /site/oauth2/access_token}, git smart HTTP at {@code /{workspace}/{slug}.git}, and test controls at
 * {@code /_sandbox/}: {@code requests}, {@code faults} (see {@link FakeHttpServer}), {@code hooks} (GET: every
 * hook), {@code deliveries} (GET every attempt, POST to resend every delivery, DELETE to clear), {@code settings} (POST
 * {@code {"rate_limited":true,"app_passwords_removed":true,"consent_denied":true,
 * "access_token_lifetime_seconds":60,"advance_clock_seconds":3600}}) and {@code pullrequest-events} (POST
 * {@code {"workspace","repository","event","id","title","source","destination","actor"}}).
 *
 * <p>Deliberate simplifications: every repository is private; webhook URLs on loopback addresses are accepted
 * (real Bitbucket refuses internal addresses, tests need them); API-token expiry is one year after seeding.
 *
 * <p>The {@link #sandbox()} preset holds these fixed facts:
 * <ul>
 *   <li>user {@code sandbox} ("Sandbox User", {@code sandbox@example.com}) with API token {@code sandbox-token}
 *       (Basic {@code sandbox@example.com:sandbox-token}; for git {@code x-bitbucket-api-token-auth:sandbox-token});
 *       scopes {@link #SANDBOX_TOKEN_SCOPES}</li>
 *   <li>private OAuth consumer {@code sandbox-key} / {@code sandbox-secret}, callback prefix
 *       {@code http://localhost}, classic scopes {@link #SANDBOX_CONSUMER_SCOPES}, owned by {@code sandbox}</li>
 *   <li>workspace {@code acme} (owner {@code sandbox}, groups {@code developers} and {@code operators}) with repositories {@code game} and {@code infra}, both on
 *       branch {@code main} with a {@code README.md}; workspace {@code tools} with {@code scripts} (branch
 *       {@code main})</li>
 *   <li>standalone port {@value #SANDBOX_PORT} ({@code io.bitbridge.fakes.SandboxFakes})</li>
 * </ul>
 */
public final class BitbucketCloudFake implements AutoCloseable {
    public static final int SANDBOX_PORT = 8090;
    public static final String SANDBOX_EMAIL = "sandbox@example.com";
    public static final String SANDBOX_USER = "sandbox";
    public static final String SANDBOX_API_TOKEN = "sandbox-token";
    public static final String SANDBOX_CONSUMER_KEY = "sandbox-key";
    public static final String SANDBOX_CONSUMER_SECRET = "sandbox-secret";
    public static final List<String> SANDBOX_TOKEN_SCOPES = List.of("read:user:bitbucket",
            "read:workspace:bitbucket", "read:repository:bitbucket", "write:repository:bitbucket",
            "admin:repository:bitbucket", "read:pullrequest:bitbucket", "write:pullrequest:bitbucket",
            "read:webhook:bitbucket", "write:webhook:bitbucket", "delete:webhook:bitbucket");
    public static final List<String> SANDBOX_CONSUMER_SCOPES = List.of("account", "email", "repository",
            "repository:write", "repository:admin", "pullrequest", "webhook");

    private final Object lock = new Object();
    private final FakeHttpServer server;
    private final WebhookSender sender;
    private final CloudState state;
    private final CloudApi api;
    private final CloudOAuth oauth;

    private BitbucketCloudFake(int port) {
        this.sender = new WebhookSender("bitbucket-cloud", RetryPolicy.bitbucketCloud());
        this.server = FakeHttpServer.builder("bitbucket-cloud", this::handle)
                .port(port)
                .faultResponse(status -> status == 429 ? CloudErrors.rateLimited()
                        : CloudErrors.error(status, "Something went wrong"))
                .sandbox("hooks", this::sandboxHooks)
                .sandbox("deliveries", sender.sandboxEndpoint())
                .sandbox("settings", this::sandboxSettings)
                .sandbox("pullrequest-events", this::sandboxPullRequestEvent)
                .start();
        String base = server.baseUri().toString();
        this.state = new CloudState(base, sender);
        this.api = new CloudApi(state, base);
        this.oauth = new CloudOAuth(state);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The sandbox preset on a free port (see the class comment for its facts). */
    public static BitbucketCloudFake sandbox() {
        return sandboxBuilder().start();
    }

    /** The sandbox preset's builder, to add more state or pick a port. */
    public static Builder sandboxBuilder() {
        return builder()
                .user(SANDBOX_USER, "Sandbox User", SANDBOX_EMAIL)
                .apiToken(SANDBOX_EMAIL, SANDBOX_API_TOKEN, SANDBOX_TOKEN_SCOPES.toArray(String[]::new))
                .oauthConsumer(SANDBOX_CONSUMER_KEY, SANDBOX_CONSUMER_SECRET, "http://localhost", SANDBOX_USER, true,
                        SANDBOX_CONSUMER_SCOPES.toArray(String[]::new))
                .workspace("acme", SANDBOX_USER)
                .group("acme", "developers", "Developers")
                .group("acme", "operators", "Operators")
                .repository("acme", "game", "main", Map.of("README.md", "# game\n"))
                .repository("acme", "infra", "main", Map.of("README.md", "# infra\n"))
                .workspace("tools", SANDBOX_USER)
                .repository("tools", "scripts", "main", Map.of("README.md", "# scripts\n"));
    }

    // ---- addresses ----

    /** {@code http://127.0.0.1:<port>}: the web/OAuth/git host. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** {@code http://127.0.0.1:<port>/2.0}: the REST API root. */
    public String apiUrl() {
        return server.baseUri() + "/2.0";
    }

    public String authorizeUrl() {
        return server.baseUri() + "/site/oauth2/authorize";
    }

    public String tokenUrl() {
        return server.baseUri() + "/site/oauth2/access_token";
    }

    public String gitUrl(String workspace, String slug) {
        return server.baseUri() + "/" + workspace + "/" + slug + ".git";
    }

    public int port() {
        return server.port();
    }

    // ---- inspection and switches ----

    public FakeHttpServer server() {
        return server;
    }

    public RequestRecorder requests() {
        return server.requests();
    }

    public FaultInjector faults() {
        return server.faults();
    }

    /** Every webhook delivery attempt so far, oldest first. */
    public List<DeliveryAttempt> deliveries() {
        return sender.attempts();
    }

    /** Every delivery so far sent once more, as "Resend request" on the hook's request log does. */
    public void resendDeliveries() {
        sender.resendAll();
    }

    public void clearDeliveries() {
        sender.clear();
    }

    /** Waits until every queued webhook delivery is final (all its attempts made). */
    public void awaitDeliveries(Duration timeout) {
        sender.awaitIdle(timeout);
    }

    /** When on, every {@code /2.0} call answers 429 {@code text/plain}, without {@code Retry-After}. */
    public void setRateLimited(boolean on) {
        state.rateLimited = on;
    }

    /** When on, app passwords answer 401 (the behaviour since the removal on 28 Jul 2026). */
    public void setAppPasswordsRemoved(boolean removed) {
        state.appPasswordsRemoved = removed;
    }

    /** When on, the authorize page answers as if the user clicked Deny: {@code error=access_denied}. */
    public void setConsentDenied(boolean denied) {
        state.consentDenied = denied;
    }

    /** Who clicks Allow on the authorize page (default: the consumer's owner). */
    public void setConsentingUser(String nickname) {
        synchronized (lock) {
            state.consentingUser = state.user(nickname);
        }
    }

    /** Lifetime of access tokens issued from now on (default one hour). */
    public void setAccessTokenLifetime(Duration lifetime) {
        state.accessTokenLifetime = lifetime;
    }

    /** Moves the fake's clock forward, e.g. past an access token's expiry. */
    public void advanceClock(Duration by) {
        state.clockOffset = state.clockOffset.plus(by);
    }

    /** The live JGit repository (read it; write through the API or git to get webhooks). */
    public Repository git(String workspace, String slug) {
        synchronized (lock) {
            return state.repo(workspace, slug).git;
        }
    }

    /** Whether the workspace holds a repository with this slug. */
    public boolean hasRepository(String workspace, String slug) {
        synchronized (lock) {
            Workspace owner = state.findWorkspace(workspace);
            return owner != null && state.findRepo(owner, slug) != null;
        }
    }

    /** A repository's explicit group permissions: group slug -> {@code read}, {@code write} or {@code admin}. */
    public Map<String, String> groupPermissions(String workspace, String slug) {
        synchronized (lock) {
            Map<String, String> grants = new java.util.LinkedHashMap<>();
            state.repo(workspace, slug).groupPermissions.forEach((group, permission) ->
                    grants.put(group, permission.name().toLowerCase(java.util.Locale.ROOT)));
            return grants;
        }
    }

    /** The tip of a branch, or null. */
    public String branchTip(String workspace, String slug, String branch) {
        synchronized (lock) {
            try {
                RevCommit tip = CloudGit.tip(state.repo(workspace, slug).git, branch);
                return tip == null ? null : tip.name();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Issues an OAuth access token for a user without the browser dance (for tests of API clients). */
    public String issueAccessToken(String consumerKey, String nickname) {
        synchronized (lock) {
            OAuthConsumer consumer = state.consumers.get(consumerKey);
            if (consumer == null) {
                throw new IllegalArgumentException("no consumer " + consumerKey);
            }
            return state.issueAccessToken(consumer, state.user(nickname)).token();
        }
    }

    /**
     * Delivers a {@code pullrequest:*} event (e.g. {@code pullrequest:created}) for a repository to its hooks,
     * as {@code actor}.
     */
    public void sendPullRequestEvent(String workspace, String slug, String eventKey, PullRequestSpec pullRequest,
                                     String actor) {
        if (!eventKey.startsWith("pullrequest:") || !CloudHookApi.HOOK_EVENTS.contains(eventKey)) {
            throw new IllegalArgumentException("not a pull-request event key: " + eventKey);
        }
        synchronized (lock) {
            Repo repo = state.repo(workspace, slug);
            try {
                state.deliver(repo, eventKey, state.events.pullRequest(repo, state.user(actor),
                        state.ownerOf(repo.workspace), pullRequest.forEvent(eventKey), state.now()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        server.close();
        sender.close();
    }

    // ---- HTTP ----

    private FakeResponse handle(FakeRequest request) throws IOException {
        List<String> segments = request.segments();
        synchronized (lock) {
            if (segments.size() >= 2 && segments.get(0).equals("site") && segments.get(1).equals("oauth2")) {
                return oauth.handle(request);
            }
            if (!segments.isEmpty() && segments.get(0).equals("2.0")) {
                return api.api(request);
            }
            if (segments.size() >= 3 && segments.get(1).endsWith(".git")) {
                return api.git(request);
            }
        }
        return CloudErrors.error(404, "Resource not found");
    }

    private FakeResponse sandboxHooks(FakeRequest request) {
        synchronized (lock) {
            ArrayNode hooks = FakeJson.array();
            for (Workspace workspace : state.workspaces.values()) {
                workspace.hooks.values().forEach(h -> hooks.add(state.json.hook(h)));
                for (Repo repo : workspace.repositories.values()) {
                    repo.hooks.values().forEach(h -> hooks.add(state.json.hook(h)));
                }
            }
            return FakeResponse.json(200, hooks);
        }
    }

    private FakeResponse sandboxSettings(FakeRequest request) {
        if (!request.method().equals("POST")) {
            return FakeResponse.text(405, "POST");
        }
        JsonNode body = request.json();
        if (body.has("rate_limited")) {
            setRateLimited(body.get("rate_limited").asBoolean());
        }
        if (body.has("app_passwords_removed")) {
            setAppPasswordsRemoved(body.get("app_passwords_removed").asBoolean());
        }
        if (body.has("consent_denied")) {
            setConsentDenied(body.get("consent_denied").asBoolean());
        }
        if (body.has("access_token_lifetime_seconds")) {
            setAccessTokenLifetime(Duration.ofSeconds(body.get("access_token_lifetime_seconds").asLong()));
        }
        if (body.has("advance_clock_seconds")) {
            advanceClock(Duration.ofSeconds(body.get("advance_clock_seconds").asLong()));
        }
        return FakeResponse.json(200, FakeJson.object().put("rate_limited", state.rateLimited)
                .put("app_passwords_removed", state.appPasswordsRemoved).put("consent_denied", state.consentDenied)
                .put("access_token_lifetime_seconds", state.accessTokenLifetime.toSeconds())
                .put("clock_offset_seconds", state.clockOffset.toSeconds()));
    }

    private FakeResponse sandboxPullRequestEvent(FakeRequest request) {
        if (!request.method().equals("POST")) {
            return FakeResponse.text(405, "POST");
        }
        JsonNode body = request.json();
        String event = body.path("event").asText("pullrequest:created");
        PullRequestSpec spec = new PullRequestSpec(body.path("id").asLong(1), body.path("title").asText("Change"),
                body.path("description").asText(""), body.path("source").asText(""),
                body.path("destination").asText("main"), body.path("state").asText("OPEN"),
                body.path("draft").asBoolean(false));
        sendPullRequestEvent(body.path("workspace").asText(""), body.path("repository").asText(""), event, spec,
                body.path("actor").asText(SANDBOX_USER));
        return FakeResponse.empty(202);
    }

    // ---- seeding ----

    /** Seeds state before (and independent of) any HTTP traffic. Steps run in the order given. */
    public static final class Builder {
        private final List<Consumer<BitbucketCloudFake>> steps = new ArrayList<>();
        private int port;

        private Builder() {
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder user(String nickname, String displayName, String email) {
            steps.add(fake -> fake.state.users.put(nickname, new User(nickname, displayName, email, fake.state.now())));
            return this;
        }

        /** A user API token (Basic {@code email:token}); Forge-style scopes, which imply nothing. */
        public Builder apiToken(String email, String token, String... scopes) {
            steps.add(fake -> {
                User user = fake.state.userByEmail(email);
                if (user == null) {
                    throw new IllegalArgumentException("no user with email " + email);
                }
                fake.state.apiTokens.put(token, new CloudModel.ApiToken(token, user, new LinkedHashSet<>(List.of(scopes)),
                        fake.state.now().plus(Duration.ofDays(365))));
            });
            return this;
        }

        /** An app password (Basic {@code username:password}); classic scopes. */
        public Builder appPassword(String nickname, String password, String... scopes) {
            steps.add(fake -> fake.state.appPasswords.put(nickname,
                    new CloudModel.AppPassword(password, fake.state.user(nickname), new LinkedHashSet<>(List.of(scopes)))));
            return this;
        }

        /**
         * An OAuth consumer. {@code callbackUrl} is a prefix every {@code redirect_uri} must start with;
         * {@code privateConsumer} allows the client_credentials grant.
         */
        public Builder oauthConsumer(String key, String secret, String callbackUrl, String ownerNickname,
                                     boolean privateConsumer, String... scopes) {
            steps.add(fake -> fake.state.consumers.put(key, new OAuthConsumer(key, secret, callbackUrl,
                    fake.state.user(ownerNickname), new LinkedHashSet<>(List.of(scopes)), privateConsumer)));
            return this;
        }

        /** A workspace owned (admin on every repository) by the user. */
        public Builder workspace(String slug, String ownerNickname) {
            steps.add(fake -> {
                Workspace workspace = new Workspace(slug, fake.state.now());
                User owner = fake.state.user(ownerNickname);
                workspace.owners.add(owner);
                workspace.members.put(owner, CloudPermission.ADMIN);
                fake.state.workspaces.put(slug, workspace);
            });
            return this;
        }

        /** A user group of the workspace (repositories can grant it a permission). */
        public Builder group(String workspace, String slug, String name) {
            steps.add(fake -> fake.state.workspace(workspace).groups.put(slug, name));
            return this;
        }

        /** Makes a user a member of the workspace with this permission on all its repositories. */
        public Builder member(String workspace, String nickname, CloudPermission permission) {
            steps.add(fake -> fake.state.workspace(workspace).members.put(fake.state.user(nickname), permission));
            return this;
        }

        /**
         * A repository whose main branch holds one commit with these files (text, UTF-8), authored by the
         * workspace owner; with no files the repository is empty.
         */
        public Builder repository(String workspace, String slug, String mainBranch, Map<String, String> files) {
            steps.add(fake -> {
                Workspace owner = fake.state.workspace(workspace);
                Repo repo = new Repo(owner, slug, mainBranch, fake.state.now());
                owner.repositories.put(slug, repo);
                try {
                    CloudGit.pointHead(repo.git, mainBranch);
                    if (!files.isEmpty()) {
                        fake.seedCommit(repo, mainBranch, null, files, "Initial commit");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return this;
        }

        /** A branch holding one more commit (with these files) on top of the main branch. */
        public Builder branch(String workspace, String slug, String branch, Map<String, String> files) {
            steps.add(fake -> {
                Repo repo = fake.state.repo(workspace, slug);
                try {
                    fake.seedCommit(repo, branch, CloudGit.tip(repo.git, repo.mainBranch), files, "Work on " + branch);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return this;
        }

        /** A repository access token (Bearer); it acts as a pseudo-user named after the token. */
        public Builder repositoryAccessToken(String workspace, String slug, String token, String... scopes) {
            steps.add(fake -> {
                Repo repo = fake.state.repo(workspace, slug);
                fake.state.resourceTokens.put(token, resourceToken(fake, token, repo.workspace, repo, scopes));
            });
            return this;
        }

        /** A workspace access token (Bearer) reaching every repository of the workspace. */
        public Builder workspaceAccessToken(String workspace, String token, String... scopes) {
            steps.add(fake -> fake.state.resourceTokens.put(token,
                    resourceToken(fake, token, fake.state.workspace(workspace), null, scopes)));
            return this;
        }

        private static CloudModel.ResourceToken resourceToken(BitbucketCloudFake fake, String token,
                                                              Workspace workspace, Repo repo, String... scopes) {
            Set<String> granted = new LinkedHashSet<>(List.of(scopes));
            Set<String> all = CloudScopes.closure(granted);
            CloudPermission permission = all.contains("repository:admin") ? CloudPermission.ADMIN
                    : all.contains("repository:write") ? CloudPermission.WRITE : CloudPermission.READ;
            String name = (repo == null ? workspace.slug : repo.fullName()) + " access token";
            User pseudo = new User(name.replaceAll("[^A-Za-z0-9]+", "-"), name,
                    "noreply-" + CloudState.randomToken(4) + "@bots.bitbucket.invalid", fake.state.now());
            return new CloudModel.ResourceToken(token, name, workspace, repo, granted, permission, pseudo);
        }

        public BitbucketCloudFake start() {
            BitbucketCloudFake fake = new BitbucketCloudFake(port);
            try {
                synchronized (fake.lock) {
                    steps.forEach(step -> step.accept(fake));
                }
                return fake;
            } catch (RuntimeException e) {
                fake.close();
                throw e;
            }
        }
    }

    private void seedCommit(Repo repo, String branch, RevCommit parent, Map<String, String> files, String message)
            throws IOException {
        SortedMap<String, CloudGit.Entry> tree = CloudGit.files(repo.git, parent);
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = CloudGit.normalizePath(file.getKey());
            if (path == null) {
                throw new IllegalArgumentException("invalid path " + file.getKey());
            }
            tree.put(path, new CloudGit.Entry(FileMode.REGULAR_FILE,
                    CloudGit.blob(repo.git, file.getValue().getBytes(StandardCharsets.UTF_8))));
        }
        User owner = state.ownerOf(repo.workspace);
        Instant now = state.now();
        PersonIdent author = new PersonIdent(owner.displayName, owner.email, java.util.Date.from(now),
                TimeZone.getTimeZone(ZoneOffset.UTC));
        ObjectId id = CloudGit.commit(repo.git, tree, parent == null ? List.of() : List.of(parent), author, message);
        RevCommit current = CloudGit.tip(repo.git, branch);
        CloudGit.moveRef(repo.git, Constants.R_HEADS + branch, current, id);
    }
}
