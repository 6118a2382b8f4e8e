package io.bitbridge.fakes.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.FormData;
import io.bitbridge.fakes.jenkins.JenkinsModel.AuthKind;
import io.bitbridge.fakes.jenkins.JenkinsModel.Authentication;
import io.bitbridge.fakes.jenkins.JenkinsModel.Permission;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A faithful in-process Jenkins remote-access API for tests and the sandbox: item tree with folders
 * ({@code /job/a/job/b}), {@code /crumbIssuer/api/json}, {@code POST .../build} and {@code .../buildWithParameters},
 * the queue ({@code /queue/api/json}, {@code /queue/item/N/api/json}, quiet period, identical-request detection),
 * build {@code api/json},
 * Basic authentication with API tokens (no crumb needed) or passwords (crumb bound to the session cookie).
 * Every build request is recorded ({@link #triggers()}, {@code GET|DELETE /_sandbox/triggers}).
 */
public final class JenkinsFake implements AutoCloseable {

    public static final int SANDBOX_PORT = 8089;
    public static final String SANDBOX_USER = "sandbox";
    public static final String SANDBOX_TOKEN = "sandbox-jenkins-token";
    static final String SESSION_COOKIE = "JSESSIONID.bitbridge";
    private static final String CRUMB_FIELD = "Jenkins-Crumb";
    private static final Set<String> RESERVED_PARAMETERS = Set.of("token", "delay", "cause", "json", CRUMB_FIELD);
    private static final Pattern DELAY = Pattern.compile("(\\d+)\\s*(sec|secs|s)?");
    /** How many of a job's builds its {@code api/json} lists, newest first. */
    static final int LISTED_BUILDS = 100;

    private final JenkinsModel model = new JenkinsModel();
    private final FakeHttpServer http;

    private JenkinsFake(int port) {
        this.http = FakeHttpServer.builder("jenkins-fake", this::handle)
                .port(port)
                .sandbox("triggers", this::sandboxTriggers)
                .start();
    }

    /** An empty Jenkins on a free port. */
    public static JenkinsFake start() {
        return new JenkinsFake(0);
    }

    public static JenkinsFake sandbox() {
        return sandbox(SANDBOX_PORT);
    }

    /**
     * The sandbox preset on {@code port} (0: free): user {@code sandbox} (read + build) with API token
     * {@code sandbox-jenkins-token}; jobs {@code GameBuild} (parameterized: BRANCH, COMMIT), {@code ci-default}
     * and {@code Folder/Sub/Job}; quiet period 1 s.
     */
    public static JenkinsFake sandbox(int port) {
        JenkinsFake fake = new JenkinsFake(port);
        fake.model.addUser(SANDBOX_USER, null, SANDBOX_TOKEN, EnumSet.allOf(Permission.class));
        Map<String, String> gameParameters = new LinkedHashMap<>();
        gameParameters.put("BRANCH", "main");
        gameParameters.put("COMMIT", "");
        fake.model.addJob("GameBuild", gameParameters);
        fake.model.addJob("ci-default", Map.of());
        fake.model.addJob("Folder/Sub/Job", Map.of());
        fake.model.quietPeriod(Duration.ofSeconds(1));
        return fake;
    }

    public JenkinsModel model() {
        return model;
    }

    public FakeHttpServer http() {
        return http;
    }

    /** {@code http://127.0.0.1:<port>} without a trailing slash. */
    public String baseUrl() {
        return http.baseUri().toString();
    }

    /** Every build request so far, accepted or refused, oldest first. */
    public List<JenkinsTrigger> triggers() {
        return model.triggers();
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- routing ----------------------------------------------------------------------------------------

    private FakeResponse handle(FakeRequest request) {
        FakeResponse response = route(request);
        return response.header("X-Jenkins", "2.479.3");
    }

    private FakeResponse route(FakeRequest request) {
        Optional<Authentication> auth = authenticate(request);
        if (auth.isEmpty()) {
            String user = request.basicCredentials().map(c -> c[0]).orElse("");
            return FakeResponse.text(401, "Invalid password/token for user: " + user)
                    .header("WWW-Authenticate", "Basic realm=\"Jenkins\"");
        }
        Authentication caller = auth.get();
        List<String> segments = request.segments();
        if (segments.equals(List.of("crumbIssuer", "api", "json")) && model.csrfProtection()) {
            return request.method().equals("GET") ? crumb(request, caller) : FakeResponse.text(405, "GET");
        }
        if (segments.size() == 5 && segments.get(0).equals("queue") && segments.get(1).equals("item")
                && segments.subList(3, 5).equals(List.of("api", "json"))) {
            return queueItem(segments.get(2), caller);
        }
        if (segments.equals(List.of("queue", "api", "json"))) {
            return queueJson(caller);
        }
        if (segments.equals(List.of("api", "json"))) {
            return folderJson(null, caller);
        }
        if (!segments.isEmpty() && segments.get(0).equals("job")) {
            return jobRoute(request, segments, caller);
        }
        return notFound();
    }

    /** Empty for wrong credentials; anonymous when none are sent. */
    private Optional<Authentication> authenticate(FakeRequest request) {
        if (request.header("Authorization") == null) {
            return Optional.of(Authentication.ANONYMOUS);
        }
        Optional<String[]> basic = request.basicCredentials();
        if (basic.isEmpty()) {
            return Optional.empty();
        }
        Authentication auth = model.authenticate(basic.get()[0], basic.get()[1]);
        return auth.kind() == AuthKind.INVALID ? Optional.empty() : Optional.of(auth);
    }

    private FakeResponse crumb(FakeRequest request, Authentication caller) {
        if (caller.kind() == AuthKind.ANONYMOUS) {
            return forbidden("anonymous is missing the Overall/Read permission");
        }
        String session = sessionId(request);
        boolean fresh = !model.knownSession(session);
        if (fresh) {
            // No cookie, or one of a session that has ended: Jenkins opens a new session.
            session = model.openSession();
        }
        ObjectNode body = FakeJson.object()
                .put("_class", "hudson.security.csrf.DefaultCrumbIssuer")
                .put("crumb", model.crumb(caller.user(), session))
                .put("crumbRequestField", CRUMB_FIELD);
        FakeResponse response = FakeResponse.json(200, body);
        if (fresh) {
            response.header("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly");
        }
        return response;
    }

    private static String sessionId(FakeRequest request) {
        for (String header : request.headers().getOrDefault("cookie", List.of())) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.trim().split("=", 2);
                if (pair.length == 2 && pair[0].equals(SESSION_COOKIE)) {
                    return pair[1];
                }
            }
        }
        return null;
    }

    private FakeResponse jobRoute(FakeRequest request, List<String> segments, Authentication caller) {
        // /job/a/job/b/<rest>: consume job/<name> pairs.
        int i = 0;
        List<String> path = new java.util.ArrayList<>();
        while (i + 1 < segments.size() && segments.get(i).equals("job")) {
            path.add(segments.get(i + 1));
            i += 2;
        }
        List<String> rest = segments.subList(i, segments.size());
        JenkinsJob job = model.item(path);
        boolean isTrigger = rest.size() == 1 && (rest.get(0).equals("build") || rest.get(0).equals("buildWithParameters"));
        if (isTrigger && request.method().equals("POST")) {
            return trigger(request, path, job, rest.get(0), caller);
        }
        if (job == null || !model.may(caller.user(), Permission.READ)) {
            return notFound();
        }
        if (rest.equals(List.of("api", "json")) && request.method().equals("GET")) {
            return job.isFolder() ? folderJson(job, caller) : FakeResponse.json(200, jobJson(job));
        }
        if (rest.size() == 3 && rest.subList(1, 3).equals(List.of("api", "json")) && !job.isFolder()) {
            return buildJson(job, rest.get(0));
        }
        if (isTrigger) {
            return FakeResponse.text(405, "POST required");
        }
        return notFound();
    }

    // ---- triggering ---------------------------------------------------------------------------------------

    private FakeResponse trigger(FakeRequest request, List<String> path, JenkinsJob job, String endpoint,
                                 Authentication caller) {
        Map<String, String> submitted = submittedParameters(request);
        String jobPath = job != null ? job.fullName() : String.join("/", path);
        FakeResponse response;
        Long queueId = null;
        // Jenkins' CrumbFilter runs before anything else; API-token requests are exempt.
        if (model.csrfProtection() && caller.kind() != AuthKind.TOKEN && !validCrumb(request, caller)) {
            response = forbidden("No valid crumb was included in the request");
        } else if (caller.kind() == AuthKind.ANONYMOUS) {
            response = forbidden("Authentication required");
        } else if (job == null || job.isFolder() || !model.may(caller.user(), Permission.READ)) {
            response = notFound();
        } else if (!model.may(caller.user(), Permission.BUILD)) {
            response = forbidden(caller.user() + " is missing the Job/Build permission");
        } else if (job.isDisabled()) {
            response = FakeResponse.text(409, jobPath + " is disabled");
        } else {
            Optional<Map<String, String>> parameters = endpoint.equals("buildWithParameters")
                    ? (job.isParameterized() ? Optional.of(withDefaults(job, submitted)) : Optional.empty())
                    : buildParameters(request, job);
            if (parameters.isEmpty()) {
                response = endpoint.equals("buildWithParameters")
                        ? FakeResponse.text(500, "java.lang.IllegalStateException: This build is not parameterized!")
                        : FakeResponse.text(400, "Nothing is submitted");
            } else {
                Optional<Duration> delay = delay(request);
                JenkinsModel.ScheduleResult result = model.schedule(job, parameters.get(), delay.orElse(null),
                        "Started by user " + caller.user());
                queueId = result.item().id();
                String location = baseUrl() + "/queue/item/" + queueId + "/";
                // Core answers 303 for an identical queued buildWithParameters; build always says 201.
                int status = !result.created() && endpoint.equals("buildWithParameters") ? 303 : 201;
                response = FakeResponse.empty(status).header("Location", location);
            }
        }
        model.record(new JenkinsTrigger(jobPath, endpoint, submitted,
                caller.kind() == AuthKind.ANONYMOUS ? null : caller.user(),
                caller.kind().name().toLowerCase(java.util.Locale.ROOT), response.status(), queueId, JenkinsModel.now()));
        return response;
    }

    private boolean validCrumb(FakeRequest request, Authentication caller) {
        String crumb = request.header(CRUMB_FIELD);
        if (crumb == null) {
            crumb = formFields(request).get(CRUMB_FIELD);
        }
        String user = caller.kind() == AuthKind.ANONYMOUS ? "anonymous" : caller.user();
        return model.validCrumb(user, sessionId(request), crumb);
    }

    /** Query parameters plus form fields (urlencoded or multipart), first value wins; control fields left out. */
    private static Map<String, String> submittedParameters(FakeRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        request.queryParameters().forEach((name, values) -> parameters.putIfAbsent(name, values.get(0)));
        formFields(request).forEach(parameters::putIfAbsent);
        parameters.keySet().removeAll(RESERVED_PARAMETERS);
        return parameters;
    }

    private static Map<String, String> formFields(FakeRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        String type = request.contentType().toLowerCase(java.util.Locale.ROOT);
        if (request.body().length > 0
                && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))) {
            try {
                for (FormData.Field field : request.form().fields()) {
                    fields.putIfAbsent(field.name(), field.text());
                }
            } catch (IllegalArgumentException malformed) {
                return fields;
            }
        }
        return fields;
    }

    /** Only defined parameters count (Jenkins drops undefined ones); missing ones take their defaults. */
    private static Map<String, String> withDefaults(JenkinsJob job, Map<String, String> submitted) {
        Map<String, String> values = new LinkedHashMap<>();
        job.parameterDefaults().forEach((name, fallback) -> {
            if (!RESERVED_PARAMETERS.contains(name)) {
                values.put(name, submitted.getOrDefault(name, fallback));
            }
        });
        return values;
    }

    /** {@code POST build}: no parameters, or the {@code json={"parameter":[...]}} form field for a parameterized job. */
    private static Optional<Map<String, String>> buildParameters(FakeRequest request, JenkinsJob job) {
        if (!job.isParameterized()) {
            return Optional.of(Map.of());
        }
        String json = formFields(request).get("json");
        if (json == null) {
            json = request.query("json");
        }
        if (json == null) {
            return Optional.empty();
        }
        Map<String, String> submitted = new LinkedHashMap<>();
        try {
            JsonNode parameter = FakeJson.parse(json).path("parameter");
            (parameter.isArray() ? parameter : FakeJson.array().add(parameter)).forEach(p ->
                    submitted.put(p.path("name").asText(), p.path("value").asText()));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
        return Optional.of(withDefaults(job, submitted));
    }

    private static Optional<Duration> delay(FakeRequest request) {
        String value = request.query("delay");
        if (value == null) {
            return Optional.empty();
        }
        Matcher matcher = DELAY.matcher(value.trim());
        return matcher.matches() ? Optional.of(Duration.ofSeconds(Long.parseLong(matcher.group(1)))) : Optional.empty();
    }

    // ---- read API ------------------------------------------------------------------------------------------

    private FakeResponse queueItem(String rawId, Authentication caller) {
        if (!model.may(caller.user(), Permission.READ)) {
            return caller.kind() == AuthKind.ANONYMOUS ? forbidden("Authentication required") : notFound();
        }
        JenkinsQueueItem item;
        try {
            item = model.queueItem(Long.parseLong(rawId));
        } catch (NumberFormatException e) {
            return notFound();
        }
        if (item == null) {
            return notFound();
        }
        return FakeResponse.json(200, queueItemJson(item, caller));
    }

    /** {@code GET /queue/api/json}: the items still waiting, oldest first, as {@code {"items":[...]}}. */
    private FakeResponse queueJson(Authentication caller) {
        if (!model.may(caller.user(), Permission.READ)) {
            return caller.kind() == AuthKind.ANONYMOUS ? forbidden("Authentication required") : notFound();
        }
        ObjectNode body = FakeJson.object().put("_class", "hudson.model.Queue");
        body.putArray("discoverableItems");
        ArrayNode items = body.putArray("items");
        model.waitingItems().forEach(item -> items.add(queueItemJson(item, caller)));
        return FakeResponse.json(200, body);
    }

    private ObjectNode queueItemJson(JenkinsQueueItem item, Authentication caller) {
        long now = System.currentTimeMillis();
        JenkinsBuild build = item.executable();
        ObjectNode body = FakeJson.object()
                .put("_class", build == null ? "hudson.model.Queue$WaitingItem" : "hudson.model.Queue$LeftItem");
        body.set("actions", actions(item.parameters(), item.cause(), caller.user()));
        body.put("blocked", false)
                .put("buildable", false)
                .put("id", item.id())
                .put("inQueueSince", item.inQueueSince())
                .put("params", paramsText(item.parameters()))
                .put("stuck", false);
        ObjectNode task = body.putObject("task")
                .put("_class", "hudson.model.FreeStyleProject")
                .put("name", item.job().name())
                .put("url", jobUrl(item.job()));
        task.put("color", "blue");
        body.put("url", "queue/item/" + item.id() + "/");
        if (build == null) {
            double seconds = Math.max(0, item.startsAt() - now) / 1000.0;
            body.put("why", String.format(java.util.Locale.ROOT, "In the quiet period. Expires in %.1f sec", seconds))
                    .put("timestamp", item.startsAt());
        } else {
            body.putNull("why");
            body.put("cancelled", false);
            body.putObject("executable")
                    .put("_class", "hudson.model.FreeStyleBuild")
                    .put("number", build.number())
                    .put("url", jobUrl(build.job()) + build.number() + "/");
        }
        return body;
    }

    private FakeResponse buildJson(JenkinsJob job, String numberText) {
        JenkinsBuild build;
        try {
            build = model.build(job, Integer.parseInt(numberText));
        } catch (NumberFormatException e) {
            List<JenkinsBuild> builds = job.builds();
            build = numberText.equals("lastBuild") && !builds.isEmpty() ? model.build(job, builds.get(builds.size() - 1).number()) : null;
        }
        if (build == null) {
            return notFound();
        }
        long now = System.currentTimeMillis();
        long duration = model.buildDurationMillis();
        boolean building = build.isBuilding(now, duration);
        ObjectNode body = FakeJson.object().put("_class", "hudson.model.FreeStyleBuild");
        body.set("actions", actions(build.parameters(), build.cause(), null));
        body.put("building", building)
                .put("displayName", "#" + build.number())
                .put("duration", building ? 0 : duration)
                .put("fullDisplayName", job.fullName().replace("/", " » ") + " #" + build.number())
                .put("id", Integer.toString(build.number()))
                .put("number", build.number())
                .put("queueId", build.queueId());
        String result = build.result(now, duration);
        if (result == null) {
            body.putNull("result");
        } else {
            body.put("result", result);
        }
        body.put("timestamp", build.startedAt()).put("url", jobUrl(job) + build.number() + "/");
        return FakeResponse.json(200, body);
    }

    private ObjectNode jobJson(JenkinsJob job) {
        // Jenkins starts queued items on its own clock: bring the queue up to now before listing the builds.
        boolean inQueue = model.waitingItems().stream().anyMatch(q -> q.job() == job);
        ObjectNode body = FakeJson.object()
                .put("_class", "hudson.model.FreeStyleProject")
                .put("name", job.name())
                .put("fullName", job.fullName())
                .put("url", jobUrl(job))
                .put("buildable", !job.isDisabled())
                .put("color", job.isDisabled() ? "disabled" : "blue");
        // Jenkins exports a job's latest 100 builds as "builds" (Job.getNewBuilds); older ones only under allBuilds.
        ArrayNode builds = body.putArray("builds");
        List<JenkinsBuild> all = job.builds();
        for (int i = all.size() - 1; i >= Math.max(0, all.size() - LISTED_BUILDS); i--) {
            builds.addObject().put("_class", "hudson.model.FreeStyleBuild").put("number", all.get(i).number())
                    .put("url", jobUrl(job) + all.get(i).number() + "/");
        }
        if (all.isEmpty()) {
            body.putNull("lastBuild");
        } else {
            body.set("lastBuild", builds.get(0));
        }
        body.put("inQueue", inQueue);
        body.put("nextBuildNumber", job.nextBuildNumber());
        ArrayNode property = body.putArray("property");
        if (job.isParameterized()) {
            ObjectNode definitions = property.addObject().put("_class", "hudson.model.ParametersDefinitionProperty");
            ArrayNode list = definitions.putArray("parameterDefinitions");
            job.parameterDefaults().forEach((name, value) -> {
                ObjectNode definition = list.addObject().put("_class", "hudson.model.StringParameterDefinition");
                definition.putObject("defaultParameterValue").put("_class", "hudson.model.StringParameterValue")
                        .put("name", name).put("value", value);
                definition.put("name", name).put("type", "StringParameterDefinition");
            });
        }
        return body;
    }

    private FakeResponse folderJson(JenkinsJob folder, Authentication caller) {
        if (!model.may(caller.user(), Permission.READ)) {
            return caller.kind() == AuthKind.ANONYMOUS ? forbidden("Authentication required") : notFound();
        }
        ObjectNode body = FakeJson.object();
        if (folder == null) {
            body.put("_class", "hudson.model.Hudson").put("url", baseUrl() + "/");
        } else {
            body.put("_class", "com.cloudbees.hudson.plugins.folder.Folder")
                    .put("name", folder.name())
                    .put("fullName", folder.fullName())
                    .put("url", jobUrl(folder));
        }
        ArrayNode jobs = body.putArray("jobs");
        for (JenkinsJob child : model.children(folder)) {
            jobs.addObject()
                    .put("_class", child.isFolder() ? "com.cloudbees.hudson.plugins.folder.Folder" : "hudson.model.FreeStyleProject")
                    .put("name", child.name())
                    .put("url", jobUrl(child));
        }
        return FakeResponse.json(200, body);
    }

    private static ArrayNode actions(Map<String, String> parameters, String cause, String userId) {
        ArrayNode actions = FakeJson.array();
        if (!parameters.isEmpty()) {
            ArrayNode values = actions.addObject().put("_class", "hudson.model.ParametersAction").putArray("parameters");
            parameters.forEach((name, value) -> values.addObject()
                    .put("_class", "hudson.model.StringParameterValue").put("name", name).put("value", value));
        }
        ObjectNode causeNode = actions.addObject().put("_class", "hudson.model.CauseAction").putArray("causes").addObject()
                .put("_class", "hudson.model.Cause$UserIdCause")
                .put("shortDescription", cause);
        if (userId != null) {
            causeNode.put("userId", userId);
        }
        return actions;
    }

    private static String paramsText(Map<String, String> parameters) {
        StringBuilder text = new StringBuilder();
        parameters.forEach((name, value) -> text.append('\n').append(name).append('=').append(value));
        return text.toString();
    }

    /** {@code {base}/job/a/job/b/} with each segment URL-encoded (space as %20). */
    public String jobUrl(JenkinsJob job) {
        StringBuilder url = new StringBuilder(baseUrl()).append('/');
        for (String segment : job.path()) {
            url.append("job/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20")).append('/');
        }
        return url.toString();
    }

    private static FakeResponse forbidden(String message) {
        return FakeResponse.text(403, message);
    }

    private static FakeResponse notFound() {
        return FakeResponse.text(404, "Not Found");
    }

    // ---- sandbox ---------------------------------------------------------------------------------------------

    private FakeResponse sandboxTriggers(FakeRequest request) {
        return switch (request.method()) {
            case "GET" -> {
                ArrayNode list = FakeJson.array();
                for (JenkinsTrigger trigger : model.triggers()) {
                    ObjectNode node = list.addObject()
                            .put("job", trigger.jobPath())
                            .put("endpoint", trigger.endpoint())
                            .put("user", trigger.user())
                            .put("auth", trigger.auth())
                            .put("status", trigger.status())
                            .put("at", trigger.at().toString());
                    if (trigger.queueId() != null) {
                        node.put("queueId", trigger.queueId());
                    }
                    ObjectNode parameters = node.putObject("parameters");
                    trigger.parameters().forEach(parameters::put);
                }
                yield FakeResponse.json(200, list);
            }
            case "DELETE" -> {
                model.clearTriggers();
                yield FakeResponse.empty(204);
            }
            default -> FakeResponse.text(405, "GET or DELETE");
        };
    }
}
