package io.bitbridge.fakes.jenkins;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.common.FakeJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JenkinsFakeTest {

    private static final String TOKEN_AUTH = basic(JenkinsFake.SANDBOX_USER, JenkinsFake.SANDBOX_TOKEN);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private JenkinsFake jenkins;

    @BeforeEach
    void start() {
        jenkins = JenkinsFake.sandbox(0);
        jenkins.model().quietPeriod(Duration.ofMillis(100));
    }

    @AfterEach
    void stop() {
        jenkins.close();
    }

    @Test
    void sandboxPresetHasTheJobsTheDocsName() throws Exception {
        JsonNode root = json(get("/api/json", TOKEN_AUTH));
        List<String> names = new ArrayList<>();
        root.path("jobs").forEach(j -> names.add(j.path("name").asText()));
        assertEquals(List.of("GameBuild", "ci-default", "Folder"), names);
        JsonNode nested = json(get("/job/Folder/job/Sub/job/Job/api/json", TOKEN_AUTH));
        assertEquals("Folder/Sub/Job", nested.path("fullName").asText());
        assertEquals(jenkins.baseUrl() + "/job/Folder/job/Sub/job/Job/", nested.path("url").asText());
        JsonNode game = json(get("/job/GameBuild/api/json", TOKEN_AUTH));
        assertEquals("BRANCH", game.path("property").path(0).path("parameterDefinitions").path(0).path("name").asText());
    }

    @Test
    void aJobListsOnlyItsLatestHundredBuildsAsJenkinsDoes() throws Exception {
        JenkinsJob busy = jenkins.model().addJob("Busy", Map.of());
        for (int n = 1; n <= 105; n++) {
            busy.startBuild(n, Map.of(), System.currentTimeMillis(), "test");
        }
        JsonNode builds = json(get("/job/Busy/api/json", TOKEN_AUTH)).path("builds");
        assertEquals(JenkinsFake.LISTED_BUILDS, builds.size());
        assertEquals(105, builds.path(0).path("number").asInt());
        assertEquals(6, builds.path(99).path("number").asInt());
        assertEquals(1, json(get("/job/Busy/1/api/json", TOKEN_AUTH)).path("number").asInt(), "older builds stay readable");
    }

    @Test
    void tokenTriggerNeedsNoCrumbAndTheQueueItemGetsAnExecutableAfterTheQuietPeriod() throws Exception {
        HttpResponse<String> triggered = post("/job/ci-default/build", TOKEN_AUTH, null, Map.of());
        assertEquals(201, triggered.statusCode());
        String location = triggered.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("\\Q" + jenkins.baseUrl() + "\\E/queue/item/\\d+/"), location);
        assertEquals("", triggered.body());

        String itemPath = URI.create(location).getPath() + "api/json";
        JsonNode waiting = json(get(itemPath, TOKEN_AUTH));
        assertTrue(waiting.path("why").asText().startsWith("In the quiet period"), waiting.toString());
        assertTrue(waiting.path("executable").isMissingNode());
        assertEquals("ci-default", waiting.path("task").path("name").asText());

        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> assertTrue(
                json(getUnchecked(itemPath)).path("executable").has("number")));
        JsonNode left = json(get(itemPath, TOKEN_AUTH));
        assertEquals(1, left.path("executable").path("number").asInt());
        assertEquals(jenkins.baseUrl() + "/job/ci-default/1/", left.path("executable").path("url").asText());

        JsonNode build = json(get("/job/ci-default/1/api/json", TOKEN_AUTH));
        assertEquals("SUCCESS", build.path("result").asText());
        assertFalse(build.path("building").asBoolean());
        assertEquals(left.path("id").asLong(), build.path("queueId").asLong());
    }

    @Test
    void buildWithParametersTakesQueryOrFormAndAnswers303ForAnIdenticalQueuedRequest() throws Exception {
        jenkins.model().quietPeriod(Duration.ofSeconds(30));
        HttpResponse<String> first = post("/job/GameBuild/buildWithParameters?BRANCH=feature%2Fx&COMMIT=abc", TOKEN_AUTH,
                null, Map.of());
        assertEquals(201, first.statusCode());
        HttpResponse<String> sameAsForm = post("/job/GameBuild/buildWithParameters", TOKEN_AUTH,
                "BRANCH=feature%2Fx&COMMIT=abc", Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(303, sameAsForm.statusCode());
        assertEquals(first.headers().firstValue("Location"), sameAsForm.headers().firstValue("Location"));
        HttpResponse<String> other = post("/job/GameBuild/buildWithParameters?BRANCH=main", TOKEN_AUTH, null, Map.of());
        assertEquals(201, other.statusCode());
        assertNotEquals(first.headers().firstValue("Location"), other.headers().firstValue("Location"));

        JsonNode item = json(get(URI.create(other.headers().firstValue("Location").orElseThrow()).getPath() + "api/json",
                TOKEN_AUTH));
        // COMMIT was not sent: it takes its default, as Jenkins fills undefined parameters.
        assertEquals("\nBRANCH=main\nCOMMIT=", item.path("params").asText());

        // plain build on a parameterized job needs the json form field
        assertEquals(400, post("/job/GameBuild/build", TOKEN_AUTH, null, Map.of()).statusCode());
        HttpResponse<String> viaJson = post("/job/GameBuild/build", TOKEN_AUTH,
                "json=" + java.net.URLEncoder.encode("{\"parameter\":[{\"name\":\"BRANCH\",\"value\":\"release\"}]}",
                        StandardCharsets.UTF_8), Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(201, viaJson.statusCode());
        // a job without parameters refuses buildWithParameters
        assertEquals(500, post("/job/ci-default/buildWithParameters?X=1", TOKEN_AUTH, null, Map.of()).statusCode());
    }

    @Test
    void anExpiredSessionInvalidatesItsCrumbAndTheIssuerOpensANewOne() throws Exception {
        jenkins.model().addUser("alice", "s3cret", null, EnumSet.allOf(JenkinsModel.Permission.class));
        String passwordAuth = basic("alice", "s3cret");
        HttpResponse<String> issued = get("/crumbIssuer/api/json", passwordAuth);
        String cookie = issued.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        Map<String, String> withCrumb = Map.of("Jenkins-Crumb", json(issued).path("crumb").asText(), "Cookie", cookie);
        assertEquals(201, post("/job/ci-default/build", passwordAuth, null, withCrumb).statusCode());

        jenkins.model().endEveryWebSession();
        HttpResponse<String> stale = post("/job/ci-default/build", passwordAuth, null, withCrumb);
        assertEquals(403, stale.statusCode());
        assertEquals("No valid crumb was included in the request", stale.body());

        // Asking with the dead session's cookie opens a new session, announced with Set-Cookie.
        HttpResponse<String> again = getWithHeaders("/crumbIssuer/api/json", passwordAuth, Map.of("Cookie", cookie));
        String newCookie = again.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        assertNotEquals(cookie, newCookie);
        assertEquals(201, post("/job/ci-default/build", passwordAuth, null,
                Map.of("Jenkins-Crumb", json(again).path("crumb").asText(), "Cookie", newCookie)).statusCode());
        // A live session keeps its cookie: no Set-Cookie.
        assertTrue(getWithHeaders("/crumbIssuer/api/json", passwordAuth, Map.of("Cookie", newCookie)).headers()
                .firstValue("Set-Cookie").isEmpty());
    }

    @Test
    void aQueuedBuildStartsOnJenkinsClockNotWhenItsQueueItemIsRead() throws Exception {
        jenkins.model().quietPeriod(Duration.ofMillis(50));
        assertEquals(201, post("/job/ci-default/build", TOKEN_AUTH, null, Map.of()).statusCode());
        // Only the job is read, never the queue item: the build still appears once the quiet period is over.
        await().atMost(Duration.ofSeconds(10)).until(() -> json(getUnchecked("/job/ci-default/api/json")).path("builds").size() == 1);
        assertFalse(json(getUnchecked("/job/ci-default/api/json")).path("inQueue").asBoolean());
    }

    @Test
    void theQueueListsWaitingItemsWithTheirParameters() throws Exception {
        jenkins.model().quietPeriod(Duration.ofSeconds(30));
        HttpResponse<String> queued = post("/job/GameBuild/buildWithParameters", TOKEN_AUTH, "COMMIT=abc123",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(201, queued.statusCode());
        JsonNode items = json(get("/queue/api/json", TOKEN_AUTH)).path("items");
        assertEquals(1, items.size());
        JsonNode item = items.get(0);
        assertEquals(queued.headers().firstValue("Location").orElseThrow(), jenkins.baseUrl() + "/" + item.path("url").asText());
        assertEquals(jenkins.baseUrl() + "/job/GameBuild/", item.path("task").path("url").asText());
        assertTrue(item.path("actions").findValues("parameters").get(0).toString().contains("\"value\":\"abc123\""), item.toString());
        assertEquals(403, get("/queue/api/json", null).statusCode(), "anonymous may not read the queue");
    }

    @Test
    void folderSegmentsAreUrlEncoded() throws Exception {
        jenkins.model().addJob("Team Space/Nightly Build", Map.of());
        HttpResponse<String> triggered = post("/job/Team%20Space/job/Nightly%20Build/build", TOKEN_AUTH, null, Map.of());
        assertEquals(201, triggered.statusCode());
        JsonNode job = json(get("/job/Team%20Space/job/Nightly%20Build/api/json", TOKEN_AUTH));
        assertEquals(jenkins.baseUrl() + "/job/Team%20Space/job/Nightly%20Build/", job.path("url").asText());
        // a wrong folder path is a 404
        assertEquals(404, post("/job/Nightly%20Build/build", TOKEN_AUTH, null, Map.of()).statusCode());
    }

    @Test
    void passwordAuthNeedsACrumbBoundToTheSessionCookie() throws Exception {
        jenkins.model().addUser("alice", "s3cret", null, EnumSet.allOf(JenkinsModel.Permission.class));
        String passwordAuth = basic("alice", "s3cret");
        HttpResponse<String> withoutCrumb = post("/job/ci-default/build", passwordAuth, null, Map.of());
        assertEquals(403, withoutCrumb.statusCode());
        assertEquals("No valid crumb was included in the request", withoutCrumb.body());

        HttpResponse<String> issued = get("/crumbIssuer/api/json", passwordAuth);
        assertEquals(200, issued.statusCode());
        JsonNode crumb = json(issued);
        assertEquals("Jenkins-Crumb", crumb.path("crumbRequestField").asText());
        assertEquals("hudson.security.csrf.DefaultCrumbIssuer", crumb.path("_class").asText());
        String cookie = issued.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

        assertEquals(403, post("/job/ci-default/build", passwordAuth, null,
                Map.of("Jenkins-Crumb", crumb.path("crumb").asText())).statusCode(), "crumb without its session");
        assertEquals(403, post("/job/ci-default/build", passwordAuth, null,
                Map.of("Jenkins-Crumb", crumb.path("crumb").asText(), "Cookie", JenkinsFake.SESSION_COOKIE + "=other"))
                .statusCode(), "crumb with another session");
        assertEquals(201, post("/job/ci-default/build", passwordAuth, null,
                Map.of("Jenkins-Crumb", crumb.path("crumb").asText(), "Cookie", cookie)).statusCode());

        // with CSRF protection off, the crumb issuer is gone and passwords work without a crumb
        jenkins.model().csrfProtection(false);
        assertEquals(404, get("/crumbIssuer/api/json", passwordAuth).statusCode());
        assertEquals(201, post("/job/GameBuild/buildWithParameters?BRANCH=x", passwordAuth, null, Map.of()).statusCode());
    }

    @Test
    void badTokenMissingPermissionUnknownAndDisabledJobs() throws Exception {
        HttpResponse<String> badToken = post("/job/ci-default/build", basic("sandbox", "wrong"), null, Map.of());
        assertEquals(401, badToken.statusCode());
        assertEquals("Invalid password/token for user: sandbox", badToken.body());
        assertEquals("Basic realm=\"Jenkins\"", badToken.headers().firstValue("WWW-Authenticate").orElseThrow());

        jenkins.model().addUser("viewer", null, "viewer-token", EnumSet.of(JenkinsModel.Permission.READ));
        assertEquals(403, post("/job/ci-default/build", basic("viewer", "viewer-token"), null, Map.of()).statusCode());
        assertEquals(403, post("/job/ci-default/build", null, null, Map.of()).statusCode(), "anonymous");

        assertEquals(404, post("/job/no-such-job/build", TOKEN_AUTH, null, Map.of()).statusCode());
        jenkins.model().job("ci-default").disabled(true);
        assertEquals(409, post("/job/ci-default/build", TOKEN_AUTH, null, Map.of()).statusCode());
    }

    @Test
    void everyTriggerIsRecordedAndListedInTheSandbox() throws Exception {
        post("/job/GameBuild/buildWithParameters?BRANCH=main&delay=0sec", TOKEN_AUTH, null, Map.of());
        post("/job/nope/build", TOKEN_AUTH, null, Map.of());

        List<JenkinsTrigger> triggers = jenkins.triggers();
        assertEquals(2, triggers.size());
        JenkinsTrigger accepted = triggers.get(0);
        assertEquals("GameBuild", accepted.jobPath());
        assertEquals("buildWithParameters", accepted.endpoint());
        assertEquals(Map.of("BRANCH", "main"), accepted.parameters());
        assertEquals("sandbox", accepted.user());
        assertEquals("token", accepted.auth());
        assertEquals(201, accepted.status());
        assertNotNull(accepted.queueId());
        assertEquals(404, triggers.get(1).status());

        JsonNode listed = json(get("/_sandbox/triggers", null));
        assertEquals(2, listed.size());
        assertEquals("GameBuild", listed.path(0).path("job").asText());
        assertEquals("main", listed.path(0).path("parameters").path("BRANCH").asText());
        // delay=0sec skips the quiet period
        JsonNode item = json(get("/queue/item/" + accepted.queueId() + "/api/json", TOKEN_AUTH));
        assertEquals(1, item.path("executable").path("number").asInt());

        // once the build has started and the retention is over, the queue item is gone (Jenkins keeps ~5 min)
        jenkins.model().queueRetention(Duration.ZERO);
        assertEquals(404, get("/queue/item/" + accepted.queueId() + "/api/json", TOKEN_AUTH).statusCode());
        JsonNode lastBuild = json(get("/job/GameBuild/lastBuild/api/json", TOKEN_AUTH));
        assertEquals(accepted.queueId().longValue(), lastBuild.path("queueId").asLong());

        assertEquals(204, client.send(HttpRequest.newBuilder(URI.create(jenkins.baseUrl() + "/_sandbox/triggers"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(jenkins.triggers().isEmpty());
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return getWithHeaders(path, authorization, Map.of());
    }

    private HttpResponse<String> getWithHeaders(String path, String authorization, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jenkins.baseUrl() + path)).GET()
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getUnchecked(String path) {
        try {
            return get(path, TOKEN_AUTH);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String path, String authorization, String form, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jenkins.baseUrl() + path))
                .POST(form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return FakeJson.parse(response.body());
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
