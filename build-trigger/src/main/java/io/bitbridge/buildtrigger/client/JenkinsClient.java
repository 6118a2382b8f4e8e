package io.bitbridge.buildtrigger.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.bitbucket.Tls;
import io.bitbridge.buildtrigger.config.TriggerConfig;
import io.bitbridge.callguard.AttemptTimedOutException;
import io.bitbridge.callguard.CircuitOpenException;
import io.bitbridge.callguard.EndpointGuards;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One Jenkins instance's remote-access API (https://www.jenkins.io/doc/book/using/remote-access-api/): trigger a job,
 * read a queue item and a build, find a build by its parameters. Every request goes through the instance's guard
 * (timeout, retries with backoff on 5xx and connection failures, one breaker per instance); 4xx are final.
 * Blocking: call from a worker thread.
 */
public final class JenkinsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_VALID_CRUMB = "No valid crumb";

    private final String name;
    private final URI base;
    private final String authorization;
    private final boolean needsCrumb;
    private final EndpointGuards guards;
    private final HttpClient http;
    private volatile Crumb crumb;
    /** Jobs rarely gain or lose parameters: their kind is read once a minute, not before every trigger. */
    private static final Duration JOB_KIND_TTL = Duration.ofSeconds(60);
    /** How far Jenkins' clock may be behind ours when a build's start is compared with the time of our call. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private final Map<String, JobKind> jobKinds = new ConcurrentHashMap<>();

    public JenkinsClient(String name, TriggerConfig.Instance instance, EndpointGuards guards) {
        this.name = name;
        String url = instance.url().endsWith("/") ? instance.url() : instance.url() + "/";
        this.base = URI.create(url);
        String secret = instance.apiToken().or(instance::password).orElseThrow(() ->
                new IllegalArgumentException("Jenkins instance " + name + " needs an api-token or a password"));
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((instance.user() + ":" + secret).getBytes(StandardCharsets.UTF_8));
        // API tokens are exempt from CSRF protection; a password session needs the crumb and its session cookie.
        this.needsCrumb = instance.apiToken().isEmpty();
        this.guards = guards;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager())
                .sslContext(Tls.sslContext(instance.caFile().map(JenkinsClient::read).orElse(null), false))
                .build();
    }

    public String name() {
        return name;
    }

    /** {@code job/a/job/b/} for {@code a/b}, each segment escaped. */
    public static String jobPath(String job) {
        StringBuilder path = new StringBuilder();
        for (String segment : job.split("/")) {
            path.append("job/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20")).append('/');
        }
        return path.toString();
    }

    /**
     * Starts {@code job}: {@code buildWithParameters} for a parameterized job (Jenkins keeps only the parameters the job
     * defines), {@code build} for one without. Answers the queue item from {@code Location}. Retried after transient
     * failures, and a retry is safe: a trigger whose answer was lost (timeout, dropped connection) may have been acted
     * on, so before posting again Jenkins' queue and the job's builds are searched for it (see {@link #findTriggered}:
     * the {@code marker} parameter, unique per decision, when the job declares it). Jenkins also folds an identical
     * request for an item still in its queue into that item. A job without parameters cannot be recognised and is posted
     * again.
     */
    public JenkinsItem trigger(String job, Map<String, String> parameters, String marker, int limit) {
        boolean parameterized = !declaredParameters(job).isEmpty();
        String path = jobPath(job) + (parameterized ? "buildWithParameters" : "build");
        String form = parameterized ? form(parameters) : "";
        try {
            return post(job, path, form, parameters, marker, limit);
        } catch (JenkinsCallException e) {
            jobKinds.remove(job); // the job may have changed (parameters added or removed): read it again next time
            throw e;
        }
    }

    private JenkinsItem post(String job, String path, String form, Map<String, String> parameters, String marker, int limit) {
        AtomicInteger attempts = new AtomicInteger();
        Instant firstAttempt = Instant.now();
        return guarded(true, () -> {
            if (attempts.getAndIncrement() > 0) {
                Optional<JenkinsItem> earlier = findTriggered(job, parameters, marker, limit, firstAttempt);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            HttpResponse<String> response = postWithCrumb(path, form);
            return JenkinsItem.queued(response.headers().firstValue("Location").map(URI::create).orElseThrow(() ->
                    new JenkinsCallException(response.statusCode(), "Jenkins " + name + " answered " + response.statusCode()
                            + " without a queue item Location for " + job, null)));
        });
    }

    /**
     * What Jenkins already has for the trigger sent with {@code parameters} at {@code since} or later: an item waiting in
     * the queue ({@code /queue/api/json}) or one of the job's builds (see {@link #findBuild}), recognised by
     * {@link #identifying its identifying parameters}. Empty also when the job keeps none of them (nothing to recognise).
     */
    public Optional<JenkinsItem> findTriggered(String job, Map<String, String> parameters, String marker, int limit, Instant since) {
        Map<String, String> identifying = identifying(job, parameters, marker);
        return identifying.isEmpty() ? Optional.empty() : find(job, identifying, limit, since);
    }

    /**
     * The parameters a build of ours is recognised by: the {@code marker} alone (unique per decision) when the job
     * declares it; otherwise every parameter of ours the job declares (BRANCH and COMMIT, say: a build of the same commit
     * of the same branch counts as ours). Jenkins keeps only the parameters a job declares, so an undeclared marker is
     * never on the build. Empty for a job without parameters.
     */
    private Map<String, String> identifying(String job, Map<String, String> parameters, String marker) {
        Set<String> declared = declaredParameters(job);
        if (declared.contains(marker) && parameters.get(marker) != null) {
            return Map.of(marker, parameters.get(marker));
        }
        Map<String, String> kept = new java.util.TreeMap<>();
        parameters.forEach((name, value) -> {
            if (declared.contains(name) && value != null) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    private Optional<JenkinsItem> find(String job, Map<String, String> identifying, int limit, Instant since) {
        String jobUrl = base.resolve(jobPath(job)).toString();
        for (JsonNode item : getJson(base.resolve("queue/api/json")).path("items")) {
            if (jobUrl.equals(item.path("task").path("url").asText()) && hasParameters(item, identifying)) {
                return Optional.of(JenkinsItem.queued(base.resolve("queue/item/" + item.path("id").asLong() + "/")));
            }
        }
        return findBuild(job, identifying, limit, since).map(JenkinsItem::started);
    }

    /** The queue item's build once it has one; empty while it waits; throws when Jenkins cancelled it. */
    public Optional<JenkinsBuildRef> queuedBuild(URI queueItem) {
        JsonNode item = getJson(queueItem.resolve("api/json"));
        if (item.path("cancelled").asBoolean(false)) {
            throw new JenkinsCallException(410, "Jenkins " + name + " cancelled queue item " + queueItem, null);
        }
        JsonNode executable = item.path("executable");
        return executable.has("number")
                ? Optional.of(new JenkinsBuildRef(executable.path("number").asInt(), executable.path("url").asText()))
                : Optional.empty();
    }

    /** The build's result ({@code SUCCESS}, {@code FAILURE}, {@code UNSTABLE}, {@code ABORTED}...); empty while it runs. */
    public Optional<String> result(URI build) {
        JsonNode json = getJson(build.resolve("api/json"));
        JsonNode result = json.path("result");
        return json.path("building").asBoolean(false) || result.isNull() || result.isMissingNode()
                ? Optional.empty() : Optional.of(result.asText());
    }

    /**
     * Among the job's latest {@code limit} builds, and further back every build that started after {@code since} (less
     * {@link #CLOCK_SKEW}: Jenkins' clock is not ours), the one that holds the identifying parameters. A busy job
     * runs more than {@code limit} builds between a crashed call and its recovery; a count alone would miss the build.
     * Jenkins lists the latest 100 builds of a job in its {@code api/json}: none further back is ever searched.
     */
    private Optional<JenkinsBuildRef> findBuild(String job, Map<String, String> identifying, int limit, Instant since) {
        long startedAfter = since.minus(CLOCK_SKEW).toEpochMilli();
        JsonNode builds = getJson(base.resolve(jobPath(job) + "api/json")).path("builds");
        for (int i = 0; i < builds.size(); i++) {
            JsonNode build = builds.get(i);
            JsonNode detail = getJson(URI.create(build.path("url").asText()).resolve("api/json"));
            if (hasParameters(detail, identifying)) {
                return Optional.of(new JenkinsBuildRef(detail.path("number").asInt(), build.path("url").asText()));
            }
            if (i + 1 >= limit && detail.path("timestamp").asLong() < startedAfter) {
                break;
            }
        }
        return Optional.empty();
    }

    /** A queue item's or build's {@code ParametersAction} holds every one of {@code wanted} with its value. */
    private static boolean hasParameters(JsonNode itemOrBuild, Map<String, String> wanted) {
        Map<String, String> held = new java.util.HashMap<>();
        for (JsonNode action : itemOrBuild.path("actions")) {
            for (JsonNode p : action.path("parameters")) {
                held.put(p.path("name").asText(), p.path("value").asText());
            }
        }
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(held.get(e.getKey())));
    }

    /** The parameters the job declares (none: it takes none), as its {@code api/json} said within the last {@link #JOB_KIND_TTL}. */
    private Set<String> declaredParameters(String job) {
        long now = System.nanoTime();
        JobKind known = jobKinds.get(job);
        if (known != null && now - known.readAt() < JOB_KIND_TTL.toNanos()) {
            return known.parameters();
        }
        Set<String> declared = readDeclaredParameters(job);
        jobKinds.put(job, new JobKind(declared, now));
        return declared;
    }

    private Set<String> readDeclaredParameters(String job) {
        JsonNode json = getJson(base.resolve(jobPath(job) + "api/json"));
        Set<String> declared = new java.util.HashSet<>();
        for (JsonNode property : json.path("property")) {
            for (JsonNode definition : property.path("parameterDefinitions")) {
                declared.add(definition.path("name").asText());
            }
        }
        return Set.copyOf(declared);
    }

    private JsonNode getJson(URI uri) {
        HttpResponse<String> response = guarded(true, () -> send(HttpRequest.newBuilder(uri).GET(), uri));
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new JenkinsCallException(response.statusCode(), "Jenkins " + name + " answered no JSON for " + uri.getPath(), e);
        }
    }

    /** A POST with the crumb when the instance needs one; a rejected crumb (expired session) is fetched again once. */
    private HttpResponse<String> postWithCrumb(String path, String form) {
        try {
            return post(path, form);
        } catch (JenkinsCallException e) {
            if (needsCrumb && e.status() == 403 && e.getMessage().contains(NO_VALID_CRUMB)) {
                crumb = null;
                return post(path, form);
            }
            throw e;
        }
    }

    private HttpResponse<String> post(String path, String form) {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (needsCrumb) {
            Crumb current = crumb();
            request.header(current.field(), current.value());
        }
        return send(request, uri);
    }

    private Crumb crumb() {
        Crumb current = crumb;
        if (current == null) {
            URI uri = base.resolve("crumbIssuer/api/json");
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri).GET(), uri);
            try {
                JsonNode json = JSON.readTree(response.body());
                current = new Crumb(json.path("crumbRequestField").asText("Jenkins-Crumb"), json.path("crumb").asText());
            } catch (IOException e) {
                throw new JenkinsCallException(response.statusCode(), "Jenkins " + name + " sent no crumb", e);
            }
            crumb = current;
        }
        return current;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI uri) {
        String method = request.build().method();
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", authorization)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new JenkinsCallException(response.statusCode(), "Jenkins " + name + " answered " + response.statusCode()
                        + " to " + method + " " + uri.getRawPath() + ": " + reason(response.body()), null);
            }
            return response;
        } catch (IOException e) {
            throw new JenkinsCallException(0, "Jenkins " + name + " unreachable for " + method + " " + uri.getRawPath()
                    + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JenkinsCallException(0, "interrupted calling Jenkins " + name, e);
        }
    }

    private <T> T guarded(boolean repeatable, java.util.function.Supplier<T> attempt) {
        try {
            return guards.call(name, repeatable, attempt);
        } catch (CircuitOpenException | AttemptTimedOutException e) {
            throw new JenkinsCallException(0, e.getMessage(), e);
        }
    }

    /** Jenkins answers errors as plain text or an HTML page: its text, tags stripped, short. */
    static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "(no reason given)";
        }
        String text = body.replaceAll("(?is)<(script|style|head)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]+>", " ")
                .replaceAll("\\s+", " ").strip();
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CA file " + file, e);
        }
    }

    private record Crumb(String field, String value) {
    }

    private record JobKind(Set<String> parameters, long readAt) {
    }
}
