package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.DeliveryAttempt;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.GitSmartHttp;
import io.bitbridge.fakes.common.RetryPolicy;
import io.bitbridge.fakes.common.WebhookDelivery;
import io.bitbridge.fakes.common.WebhookSender;
import io.bitbridge.fakes.server.ServerModel.Caller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A faithful in-process Bitbucket Server / Data Center (REST 1.0 + git smart HTTP + webhooks) for tests and the
 * sandbox. REST lives under {@code /rest/api/1.0} (also {@code /rest/api/latest}), HTTP access tokens under
 * {@code /rest/access-tokens/1.0}, repository access keys under {@code /rest/keys/1.0}, git under
 * {@code /scm/{key}/{slug}.git}. Authentication: HTTP access tokens as Bearer; personal tokens or passwords
 * also as Basic {@code user:secret}. A push (git or {@link #commitFiles}) delivers {@code repo:refs_changed} to the
 * repository's webhooks and its project's; {@link #pullRequestEvent} delivers {@code pr:*}.
 *
 * <p>Sandbox endpoints (besides the shared {@code /_sandbox/requests} and {@code /_sandbox/faults}):
 * {@code GET|DELETE /_sandbox/deliveries}, {@code POST /_sandbox/commits}
 * ({@code {"project","repository","branch","files":{path:content},"message"}}),
 * {@code POST /_sandbox/pull-requests} ({@code {"event","project","repository","id","title","fromBranch","toBranch"}}),
 * {@code POST|DELETE /_sandbox/rate-limit} ({@code {"requests":N,"windowSeconds":S}}),
 * {@code GET|DELETE /_sandbox/build-statuses} (every build status posted to a commit, with project, repository and
 * commit id).
 */
public final class BitbucketServerFake implements AutoCloseable {

    public static final int SANDBOX_PORT = 7990;
    public static final String SANDBOX_USER = "sandbox";
    public static final String SANDBOX_TOKEN = "sandbox-server-token";
    /** The sandbox user's password: needed to create HTTP access tokens (a token cannot create tokens). */
    public static final String SANDBOX_PASSWORD = "sandbox-password";

    /** Event keys a webhook may subscribe to (the ones Data Center 9 offers for repositories). */
    static final Set<String> KNOWN_EVENTS = Set.of("repo:refs_changed", "repo:modified", "repo:forked",
            "repo:comment:added", "repo:comment:edited", "repo:comment:deleted", "repo:secret_detected",
            "mirror:repo_synchronized", "pr:opened", "pr:from_ref_updated", "pr:to_ref_updated", "pr:modified",
            "pr:reviewer:updated", "pr:reviewer:approved", "pr:reviewer:unapproved", "pr:reviewer:needs_work",
            "pr:merged", "pr:declined", "pr:deleted", "pr:comment:added", "pr:comment:edited", "pr:comment:deleted",
            "build:status");

    private final ServerModel model = new ServerModel();
    private final ServerRestApi rest;
    private final ServerWebhookApi webhookApi;
    private final ServerAccessTokenApi accessTokens;
    private final ServerDeployKeyApi deployKeys;
    private final ServerBuildStatusApi buildStatuses;
    private final WebhookSender sender;
    private final FakeHttpServer http;
    private final ServerJson json;
    private final ServerEvents events;
    private final Map<String, long[]> rateWindows = new ConcurrentHashMap<>();
    private volatile int rateLimitRequests;
    private volatile Duration rateLimitWindow = Duration.ofMinutes(1);
    private volatile boolean dataCenterCommits = true;
    private final Map<Integer, WebhookHealth> hookHealth = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<Void>> healthUpdates = ConcurrentHashMap.newKeySet();
    private volatile int breakerThreshold = 5;
    private volatile Duration breakerInitialSkip = Duration.ofSeconds(10);

    private BitbucketServerFake(int port) {
        this.rest = new ServerRestApi(this);
        this.webhookApi = new ServerWebhookApi(this);
        this.accessTokens = new ServerAccessTokenApi(model);
        this.deployKeys = new ServerDeployKeyApi(this);
        this.buildStatuses = new ServerBuildStatusApi(this);
        // Data Center does not retry a failed delivery (it counts failures for its circuit breaker).
        this.sender = new WebhookSender("bitbucket-server-fake", RetryPolicy.noRetries(Duration.ofSeconds(10)));
        try {
            this.http = FakeHttpServer.builder("bitbucket-server-fake", this::handle)
                    .port(port)
                    .faultResponse(status -> status == 429 ? rateLimited(1)
                            : ServerJson.error(status, null, "Injected fault " + status, "java.lang.IllegalStateException"))
                    .sandbox("deliveries", sender.sandboxEndpoint())
                    .sandbox("commits", this::sandboxCommits)
                    .sandbox("pull-requests", this::sandboxPullRequests)
                    .sandbox("rate-limit", this::sandboxRateLimit)
                    .sandbox("build-statuses", buildStatuses::sandbox)
                    .start();
        } catch (RuntimeException portTaken) {
            sender.close();
            throw portTaken;
        }
        this.json = new ServerJson(http.baseUri().toString(), model);
        this.events = new ServerEvents(json);
    }

    /** An empty fake on a free port. */
    public static BitbucketServerFake start() {
        return new BitbucketServerFake(0);
    }

    /** The sandbox preset on its fixed port 7990. */
    public static BitbucketServerFake sandbox() {
        return sandbox(SANDBOX_PORT);
    }

    /**
     * The sandbox preset on {@code port} (0: free): user {@code sandbox} (system admin) with HTTP access token
     * {@code sandbox-server-token} and password {@code sandbox-password}, project {@code OPS} with repository
     * {@code platform} whose {@code main} branch has one commit.
     */
    public static BitbucketServerFake sandbox(int port) {
        BitbucketServerFake fake = new BitbucketServerFake(port);
        fake.model.addUser(SANDBOX_USER, "Sandbox User", ServerPermission.SYS_ADMIN);
        fake.model.setPassword(SANDBOX_USER, SANDBOX_PASSWORD);
        fake.model.addToken(new ServerAccessToken("sandbox", SANDBOX_TOKEN, SANDBOX_USER, ServerPermission.SYS_ADMIN, null, null));
        ServerProject ops = fake.model.addProject("OPS", "Operations", "Platform operations");
        ServerRepository platform = fake.model.createRepository(ops, "platform", "Platform manifests", false, "main");
        try {
            ServerGit.commitFiles(platform.git(), "main", Map.of("README.md", "# platform\n"), "Initial commit",
                    fake.ident(fake.model.user(SANDBOX_USER).orElseThrow()));
        } catch (IOException e) {
            fake.close();
            throw new UncheckedIOException(e);
        }
        return fake;
    }

    public ServerModel model() {
        return model;
    }

    public FakeHttpServer http() {
        return http;
    }

    /** {@code http://127.0.0.1:<port>} (no trailing slash). */
    public String baseUrl() {
        return http.baseUri().toString();
    }

    /** The HTTP clone URL of a repository. */
    public String cloneUrl(String projectKey, String slug) {
        return json.httpCloneUrl(repository(projectKey, slug));
    }

    public ServerRepository repository(String projectKey, String slug) {
        return model.repository(projectKey, slug)
                .orElseThrow(() -> new IllegalArgumentException("no repository " + projectKey + "/" + slug));
    }

    /**
     * Every build status stored on a commit ({@code POST …/commits/{commitId}/builds}), oldest first: the RestBuildStatus
     * fields plus {@code project}, {@code repository} and {@code commitId}. A status posted again under its key is
     * listed once, as it is now.
     */
    public List<JsonNode> buildStatuses() {
        return buildStatuses.all().stream().<JsonNode>map(stored -> {
            ObjectNode node = FakeJson.object().put("project", stored.projectKey()).put("repository", stored.repositorySlug())
                    .put("commitId", stored.commitId());
            node.setAll(stored.body().deepCopy());
            return node;
        }).toList();
    }

    /** Every webhook delivery attempt so far (pings included), oldest first. */
    public List<DeliveryAttempt> deliveries() {
        return sender.attempts();
    }

    /** Sends {@code commits[]}/{@code toCommit} in refs_changed (Data Center, default) or not (older Server). */
    public BitbucketServerFake dataCenterCommits(boolean value) {
        this.dataCenterCommits = value;
        return this;
    }

    /**
     * The webhook circuit breaker: after {@code failures} failed deliveries in a row a hook is skipped for
     * {@code initialSkip}, doubling up to 10 h (DC's defaults: 5 and 10 s).
     */
    public BitbucketServerFake webhookCircuitBreaker(int failures, Duration initialSkip) {
        this.breakerThreshold = failures;
        this.breakerInitialSkip = initialSkip;
        return this;
    }

    /** Waits until every webhook delivery queued so far has been attempted (and the breaker has seen it). */
    public void awaitDeliveries(Duration timeout) {
        sender.awaitIdle(timeout);
        try {
            CompletableFuture.allOf(healthUpdates.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for webhook deliveries", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("webhook deliveries did not finish within " + timeout, e);
        }
    }

    /** Allows {@code requests} REST calls per user per {@code window}; more get 429 with Retry-After. 0 turns it off. */
    public BitbucketServerFake rateLimit(int requests, Duration window) {
        this.rateLimitRequests = requests;
        this.rateLimitWindow = window;
        rateWindows.clear();
        return this;
    }

    /**
     * Commits files on a branch as {@code userSlug} (the branch is created when missing) and delivers
     * {@code repo:refs_changed}. A null content deletes the file. Returns the new commit id.
     */
    public String commitFiles(String projectKey, String slug, String branch, Map<String, String> files, String message,
                              String userSlug) {
        ServerRepository repository = repository(projectKey, slug);
        ServerUser user = model.user(userSlug).orElseThrow(() -> new IllegalArgumentException("no user " + userSlug));
        try {
            ServerGit.RefChange change = ServerGit.commitFiles(repository.git(), branch, files, message, ident(user));
            refsChanged(user, repository, List.of(change));
            return change.toHash();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a branch or tag ({@code refs/...}) and delivers {@code repo:refs_changed} with a DELETE change. */
    public void deleteRef(String projectKey, String slug, String refName, String userSlug) {
        ServerRepository repository = repository(projectKey, slug);
        ServerUser user = model.user(userSlug).orElseThrow(() -> new IllegalArgumentException("no user " + userSlug));
        try {
            var ref = repository.git().exactRef(refName);
            if (ref == null) {
                throw new IllegalArgumentException("no ref " + refName);
            }
            refsChanged(user, repository, List.of(ServerGit.moveRef(repository.git(), refName, ref.getObjectId(), null)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Delivers a pull-request event ({@code pr:opened}, {@code pr:merged}, {@code pr:declined},
     * {@code pr:from_ref_updated}, ...) for a pull request between two branches of one repository.
     * {@code pr:merged} really merges (a merge commit on the target, announced first as {@code repo:refs_changed}).
     */
    public void pullRequestEvent(String eventKey, String projectKey, String slug, long id, String title,
                                 String fromBranch, String toBranch, String userSlug) {
        pullRequestEvent(eventKey, projectKey, slug, id, title, null, fromBranch, toBranch, userSlug);
    }

    /** As above, with a description (DC leaves the field out when there is none). */
    public void pullRequestEvent(String eventKey, String projectKey, String slug, long id, String title,
                                 String description, String fromBranch, String toBranch, String userSlug) {
        if (!eventKey.startsWith("pr:")) {
            throw new IllegalArgumentException("not a pull-request event: " + eventKey);
        }
        ServerRepository repository = repository(projectKey, slug);
        ServerUser user = model.user(userSlug).orElseThrow(() -> new IllegalArgumentException("no user " + userSlug));
        String state = switch (eventKey) {
            case "pr:merged" -> "MERGED";
            case "pr:declined" -> "DECLINED";
            default -> "OPEN";
        };
        try {
            // For pr:from_ref_updated the previous source tip is taken to be the parent of the current one
            // (true when one commit was pushed).
            String previousFromHash = null;
            if (eventKey.equals("pr:from_ref_updated")) {
                var tip = repository.git().exactRef(org.eclipse.jgit.lib.Constants.R_HEADS + fromBranch);
                var parents = tip == null ? null : ServerGit.commit(repository.git(), tip.getObjectId()).getParents();
                previousFromHash = parents == null || parents.length == 0 ? ServerGit.ZERO : parents[0].name();
            }
            String mergeCommit = null;
            if (eventKey.equals("pr:merged")) {
                // Merging moves the target branch: DC reports that push as repo:refs_changed too.
                ServerGit.RefChange merged = ServerGit.mergeBranches(repository.git(), fromBranch, toBranch,
                        "Merge pull request #" + id + " in " + repository.project().key() + "/" + repository.slug()
                                + " from " + fromBranch + " to " + toBranch, ident(user));
                refsChanged(user, repository, List.of(merged));
                mergeCommit = merged.toHash();
            }
            ObjectNode body = events.pullRequest(eventKey, user, repository,
                    new ServerEvents.PullRequest(id, title, description, fromBranch, toBranch, state, mergeCommit), previousFromHash);
            deliver(repository, eventKey, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.close();
        sender.close();
    }

    // ---- package API for the route classes --------------------------------------------------------------

    ServerJson json() {
        return json;
    }

    ServerRestApi rest() {
        return rest;
    }

    ServerBuildStatusApi buildStatusApi() {
        return buildStatuses;
    }

    ServerWebhookApi webhookApi() {
        return webhookApi;
    }

    void refsChanged(ServerUser actor, ServerRepository repository, List<ServerGit.RefChange> changes) throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        deliver(repository, "repo:refs_changed", events.refsChanged(actor, repository, changes, dataCenterCommits));
    }

    CompletableFuture<List<DeliveryAttempt>> deliverPing(URI url, String user, String password) {
        Map<String, String> headers = baseHeaders("diagnostics:ping");
        if (user != null && password != null) {
            headers.put("Authorization", basic(user, password));
        }
        return sender.send(new WebhookDelivery("test", "diagnostics:ping", url,
                "{\"test\": true}".getBytes(StandardCharsets.UTF_8), headers, null));
    }

    private void deliver(ServerRepository repository, String eventKey, ObjectNode body) {
        byte[] bytes = FakeJson.bytes(body);
        List<ServerWebhook> hooks = new java.util.ArrayList<>(repository.webhooks().all());
        hooks.addAll(model.projectWebhooks(repository.project()).all());
        for (ServerWebhook hook : hooks) {
            if (!hook.subscribes(eventKey)) {
                continue;
            }
            Map<String, String> headers = baseHeaders(eventKey);
            if (hook.credentialsUsername() != null && hook.credentialsPassword() != null) {
                headers.put("Authorization", basic(hook.credentialsUsername(), hook.credentialsPassword()));
            }
            WebhookHealth health = health(hook.id());
            if (health.skips(System.currentTimeMillis())) {
                continue;
            }
            CompletableFuture<Void> recorded = sender.send(new WebhookDelivery(Integer.toString(hook.id()), eventKey,
                    URI.create(hook.url()), bytes, headers, hook.secret())).thenAccept(attempts -> attempts.forEach(a ->
                    health.record(a, breakerThreshold, breakerInitialSkip, System.currentTimeMillis())));
            healthUpdates.add(recorded);
            recorded.whenComplete((done, failure) -> healthUpdates.remove(recorded));
        }
    }

    WebhookHealth health(int webhookId) {
        return hookHealth.computeIfAbsent(webhookId, id -> new WebhookHealth());
    }

    private static Map<String, String> baseHeaders(String eventKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("X-Event-Key", eventKey);
        headers.put("X-Request-Id", UUID.randomUUID().toString());
        headers.put("User-Agent", "Atlassian HttpClient 4.2.0 / Bitbucket-9.2.0 (9002000) / Default");
        return headers;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    PersonIdent ident(ServerUser user) {
        return new PersonIdent(user.displayName(), user.emailAddress());
    }

    // ---- HTTP entry point ------------------------------------------------------------------------------

    private FakeResponse handle(FakeRequest request) throws Exception {
        List<String> segments = request.segments();
        boolean restApi = segments.size() >= 3 && segments.get(0).equals("rest") && segments.get(1).equals("api")
                && (segments.get(2).equals("1.0") || segments.get(2).equals("latest"));
        boolean tokensApi = segments.size() >= 3 && segments.get(0).equals("rest") && segments.get(1).equals("access-tokens")
                && (segments.get(2).equals("1.0") || segments.get(2).equals("latest"));
        boolean keysApi = segments.size() >= 3 && segments.get(0).equals("rest") && segments.get(1).equals("keys")
                && (segments.get(2).equals("1.0") || segments.get(2).equals("latest"));
        boolean git = !segments.isEmpty() && segments.get(0).equals("scm");
        if (!restApi && !tokensApi && !keysApi && !git) {
            return ServerJson.error(404, null, "Not found: " + request.rawPath(), "com.sun.jersey.api.NotFoundException");
        }
        Optional<Caller> caller = authenticate(request);
        if (caller.isEmpty()) {
            FakeResponse failed = ServerJson.error(401, null,
                    "Authentication failed. Please check your credentials and try again.",
                    "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException");
            return git ? failed.header("WWW-Authenticate", "Basic realm=\"Atlassian Bitbucket\"") : failed;
        }
        FakeResponse response;
        if (git) {
            response = gitRequest(request, segments, caller.get());
        } else {
            Optional<FakeResponse> limited = rateLimit(caller.get());
            List<String> below = segments.subList(3, segments.size());
            response = limited.isPresent() ? limited.get()
                    : tokensApi ? accessTokens.handle(request, below, caller.get())
                    : keysApi ? deployKeys.handle(request, below, caller.get())
                    : rest.handle(request, below, caller.get());
        }
        if (!caller.get().isAnonymous()) {
            // go-git-providers (flux) reads the acting user name from this header.
            response.header("X-AUSERNAME", caller.get().user().name())
                    .header("X-AUSERID", Integer.toString(caller.get().user().id()));
        }
        return response.header("X-AREQUESTID", UUID.randomUUID().toString().substring(0, 8));
    }

    /** Empty when credentials were sent but are wrong; the anonymous caller when none were sent. */
    private Optional<Caller> authenticate(FakeRequest request) {
        String authorization = request.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(Caller.ANONYMOUS);
        }
        Optional<String> bearer = request.bearerToken();
        if (bearer.isPresent()) {
            return model.bearer(bearer.get());
        }
        Optional<String[]> basic = request.basicCredentials();
        if (basic.isPresent()) {
            return model.basic(basic.get()[0], basic.get()[1]);
        }
        return Optional.empty();
    }

    private Optional<FakeResponse> rateLimit(Caller caller) {
        int limit = rateLimitRequests;
        if (limit <= 0) {
            return Optional.empty();
        }
        String key = caller.isAnonymous() ? "" : caller.user().slug();
        long now = System.currentTimeMillis();
        long windowMillis = rateLimitWindow.toMillis();
        long[] window = rateWindows.compute(key, (k, w) -> w == null || now >= w[0] + windowMillis
                ? new long[] {now, 1} : new long[] {w[0], w[1] + 1});
        if (window[1] <= limit) {
            return Optional.empty();
        }
        long retryAfter = Math.max(1, (window[0] + windowMillis - now + 999) / 1000);
        return Optional.of(rateLimited(retryAfter));
    }

    private static FakeResponse rateLimited(long retryAfterSeconds) {
        return ServerJson.error(429, null, "You have been rate limited. Please wait before making more requests.",
                        "com.atlassian.bitbucket.throttle.ThrottledException")
                .header("Retry-After", Long.toString(retryAfterSeconds));
    }

    /** {@code /scm/{key}/{slug}.git/<suffix>}: git smart HTTP with REPO_READ to fetch and REPO_WRITE to push. */
    private FakeResponse gitRequest(FakeRequest request, List<String> segments, Caller caller) throws IOException {
        if (segments.size() < 4 || !segments.get(2).endsWith(".git")) {
            return FakeResponse.text(404, "Repository not found");
        }
        String slug = segments.get(2).substring(0, segments.get(2).length() - 4);
        String suffix = String.join("/", segments.subList(3, segments.size()));
        Optional<ServerRepository> repository = model.repository(segments.get(1), slug);
        ServerPermission has = repository.map(r -> model.permissionOn(caller, r)).orElse(null);
        ServerPermission needed = GitSmartHttp.isPush(request, suffix) ? ServerPermission.REPO_WRITE : ServerPermission.REPO_READ;
        if (has == null || !has.implies(needed)) {
            if (caller.isAnonymous()) {
                // git only sends credentials after a Basic challenge.
                return FakeResponse.text(401, "Authentication required")
                        .header("WWW-Authenticate", "Basic realm=\"Atlassian Bitbucket\"");
            }
            return repository.isEmpty() || has == null ? FakeResponse.text(404, "Repository not found")
                    : FakeResponse.text(403, "You are not permitted to push to this repository");
        }
        ServerRepository repo = repository.get();
        return GitSmartHttp.serve(request, suffix, repo.git(), commands -> {
            try {
                refsChanged(caller.user(), repo, ServerGit.refChanges(commands));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- sandbox endpoints ---------------------------------------------------------------------------------

    private FakeResponse sandboxCommits(FakeRequest request) {
        if (!request.method().equals("POST")) {
            return FakeResponse.text(405, "POST");
        }
        JsonNode body = request.json();
        Map<String, String> files = new LinkedHashMap<>();
        body.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files must name at least one path");
        }
        String id = commitFiles(required(body, "project"), required(body, "repository"),
                body.path("branch").asText("main"), files, body.path("message").asText("Commit from the sandbox"),
                body.path("user").asText(SANDBOX_USER));
        return FakeResponse.json(201, FakeJson.object().put("id", id));
    }

    private FakeResponse sandboxPullRequests(FakeRequest request) {
        if (!request.method().equals("POST")) {
            return FakeResponse.text(405, "POST");
        }
        JsonNode body = request.json();
        pullRequestEvent(body.path("event").asText("pr:opened"), required(body, "project"), required(body, "repository"),
                body.path("id").asLong(1), body.path("title").asText("Sandbox pull request"),
                body.path("description").asText(null), required(body, "fromBranch"), body.path("toBranch").asText("main"), body.path("user").asText(SANDBOX_USER));
        return FakeResponse.empty(202);
    }

    private FakeResponse sandboxRateLimit(FakeRequest request) {
        return switch (request.method()) {
            case "POST" -> {
                JsonNode body = request.json();
                rateLimit(body.path("requests").asInt(0), Duration.ofSeconds(body.path("windowSeconds").asLong(60)));
                yield FakeResponse.empty(204);
            }
            case "DELETE" -> {
                rateLimit(0, Duration.ofMinutes(1));
                yield FakeResponse.empty(204);
            }
            default -> FakeResponse.text(405, "POST or DELETE");
        };
    }

    private static String required(JsonNode body, String field) {
        String value = body.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
