package io.bitbridge.fakes.server;

import static io.bitbridge.fakes.server.ServerClient.SANDBOX_BEARER;
import static io.bitbridge.fakes.server.ServerClient.basic;
import static io.bitbridge.fakes.server.ServerClient.errorMessage;
import static io.bitbridge.fakes.server.ServerClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.common.FakeJson;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Server fake's REST API. Every exchange is also validated against the Data Center 9.2 OpenAPI document
 * ({@link ServerContract}); a test fails when any response breaks it.
 */
class BitbucketServerFakeRestTest {

    private static final String REPOS = "/rest/api/1.0/projects/OPS/repos";
    private static final String PLATFORM = REPOS + "/platform";

    private BitbucketServerFake server;
    private ServerContract contract;
    private ServerClient client;

    @BeforeEach
    void start() {
        server = BitbucketServerFake.sandbox(0);
        contract = new ServerContract();
        client = new ServerClient(server.baseUrl(), contract::check);
    }

    @AfterEach
    void stopAndCheckContract() {
        server.close();
        assertEquals(List.of(), contract.failures(), "responses that break the Data Center OpenAPI document");
    }

    @Test
    void sandboxPresetHasOpsPlatformOnMain() {
        JsonNode repository = json(client.get(PLATFORM), 200);
        assertEquals("platform", repository.path("slug").asText());
        assertEquals("OPS", repository.path("project").path("key").asText());
        assertEquals(server.baseUrl() + "/scm/ops/platform.git", cloneHref(repository, "http"));
        JsonNode branch = json(client.get(PLATFORM + "/branches/default"), 200);
        assertEquals("refs/heads/main", branch.path("id").asText());
        assertEquals("main", branch.path("displayId").asText());
        assertEquals(7990, BitbucketServerFake.SANDBOX_PORT);
    }

    @Test
    void createRepositoryAnswers201Then409ForATakenNameAnd400ForInvalidInput() {
        HttpResponse<String> created = client.call("POST", REPOS, "{\"name\":\"Flux Fleet\",\"scmId\":\"git\",\"public\":false}",
                SANDBOX_BEARER);
        JsonNode repository = json(created, 201);
        assertEquals("flux-fleet", repository.path("slug").asText());
        assertEquals("Flux Fleet", repository.path("name").asText());
        assertEquals("sandbox", created.headers().firstValue("X-AUSERNAME").orElseThrow());
        assertEquals(200, client.get(REPOS + "/flux-fleet").statusCode());

        HttpResponse<String> taken = client.call("POST", REPOS, "{\"name\":\"flux fleet\",\"scmId\":\"git\"}", SANDBOX_BEARER);
        assertEquals(409, taken.statusCode());
        assertTrue(errorMessage(taken).contains("already taken"), taken.body());

        HttpResponse<String> badName = client.call("POST", REPOS, "{\"name\":\"-nope\",\"scmId\":\"git\"}", SANDBOX_BEARER);
        assertEquals(400, badName.statusCode());
        assertEquals("name", json(badName, 400).path("errors").path(0).path("context").asText());
        assertEquals(400, client.call("POST", REPOS, "{\"name\":\"x\",\"scmId\":\"hg\"}", SANDBOX_BEARER).statusCode());
        assertEquals(400, client.call("POST", REPOS, "not json", SANDBOX_BEARER).statusCode());
        assertEquals(404, client.call("POST", "/rest/api/1.0/projects/NOPE/repos", "{\"name\":\"x\"}", SANDBOX_BEARER)
                .statusCode());

        // flux --reconcile updates description, visibility and default branch (DC answers 201); a rename moves the slug
        JsonNode reconciled = json(client.call("PUT", REPOS + "/flux-fleet",
                "{\"description\":\"Fleet\",\"public\":true,\"defaultBranch\":\"main\"}", SANDBOX_BEARER), 201);
        assertEquals("Fleet", reconciled.path("description").asText());
        assertTrue(reconciled.path("public").asBoolean());
        assertEquals("main", server.repository("OPS", "flux-fleet").defaultBranch());
        assertEquals(200, client.call("GET", REPOS + "/flux-fleet", null, null).statusCode(), "public: anonymous may read");
        assertEquals(409, client.call("PUT", REPOS + "/flux-fleet", "{\"name\":\"platform\"}", SANDBOX_BEARER).statusCode());
        assertEquals("fleet", json(client.call("PUT", REPOS + "/flux-fleet", "{\"name\":\"Fleet\"}", SANDBOX_BEARER), 201)
                .path("slug").asText());
        assertEquals(404, client.get(REPOS + "/flux-fleet").statusCode());
        assertEquals(201, client.call("PUT", REPOS + "/fleet", "{\"name\":\"Flux Fleet\"}", SANDBOX_BEARER).statusCode());

        // flux deletes a repository whose initialisation failed: DC schedules it and answers 202
        assertEquals(202, client.call("DELETE", REPOS + "/flux-fleet", null, SANDBOX_BEARER).statusCode());
        assertEquals(404, client.get(REPOS + "/flux-fleet").statusCode());
        assertEquals(201, client.call("POST", REPOS, "{\"name\":\"Flux Fleet\"}", SANDBOX_BEARER).statusCode());
    }

    @Test
    void personalProjectsUseTheTildeKey() {
        server.model().addUser("jsmith", "Jane Smith", null);
        server.model().addToken(new ServerAccessToken("pat", "jsmith-token", "jsmith", ServerPermission.PROJECT_ADMIN, null, null));
        String auth = "Bearer jsmith-token";
        JsonNode created = json(client.call("POST", "/rest/api/1.0/projects/~jsmith/repos", "{\"name\":\"dotfiles\"}", auth), 201);
        assertEquals("~jsmith", created.path("project").path("key").asText());
        assertEquals("PERSONAL", created.path("project").path("type").asText());
        assertEquals(server.baseUrl() + "/scm/~jsmith/dotfiles.git", cloneHref(created, "http"));
        // jsmith may not create in OPS, nor in someone else's personal project: DC answers 401
        assertEquals(401, client.call("POST", REPOS, "{\"name\":\"x\"}", auth).statusCode());
        assertEquals(401, client.call("POST", "/rest/api/1.0/projects/~sandbox/repos", "{\"name\":\"x\"}", auth).statusCode());
        // flux resolves an organisation owner by project name first
        JsonNode projects = json(client.get("/rest/api/1.0/projects?name=Operations"), 200);
        assertEquals("OPS", projects.path("values").path(0).path("key").asText());
        assertEquals("NORMAL", json(client.get("/rest/api/1.0/projects/OPS"), 200).path("type").asText());
        assertEquals(401, client.call("GET", "/rest/api/1.0/projects/OPS", null, null).statusCode());
        JsonNode user = json(client.call("GET", "/rest/api/1.0/users/jsmith", null, auth), 200);
        assertEquals("Jane Smith", user.path("displayName").asText());
        assertEquals(404, client.call("GET", "/rest/api/1.0/users/ghost", null, auth).statusCode());
    }

    @Test
    void repositoryListsPageWithStartLimitAndNextPageStart() {
        for (int i = 0; i < 29; i++) {
            json(client.call("POST", REPOS, "{\"name\":\"svc-" + (char) ('a' + i / 10) + (i % 10) + "\"}", SANDBOX_BEARER), 201);
        }
        JsonNode first = json(client.get("/rest/api/1.0/repos"), 200);
        assertEquals(25, first.path("limit").asInt());
        assertEquals(25, first.path("size").asInt());
        assertEquals(0, first.path("start").asInt());
        assertFalse(first.path("isLastPage").asBoolean());
        assertEquals(25, first.path("nextPageStart").asInt());
        JsonNode second = json(client.get("/rest/api/1.0/repos?start=" + first.path("nextPageStart").asInt()), 200);
        assertEquals(5, second.path("size").asInt());
        assertTrue(second.path("isLastPage").asBoolean());
        assertTrue(second.path("nextPageStart").isMissingNode());

        List<String> slugs = new ArrayList<>();
        int start = 0;
        while (true) {
            JsonNode page = json(client.get(REPOS + "?limit=7&start=" + start), 200);
            page.path("values").forEach(v -> slugs.add(v.path("slug").asText()));
            if (page.path("isLastPage").asBoolean()) {
                break;
            }
            start = page.path("nextPageStart").asInt();
        }
        assertEquals(30, slugs.size());
        assertEquals(30, slugs.stream().distinct().count());
        assertEquals(1, json(client.get("/rest/api/1.0/repos?name=svc-b3"), 200).path("size").asInt());
        assertEquals(400, client.get("/rest/api/1.0/repos?visibility=secret").statusCode());
        // anonymous callers only see public repositories
        assertEquals(0, json(client.call("GET", "/rest/api/1.0/repos", null, null), 200).path("size").asInt());
    }

    @Test
    void branchesCreateAndDefaultBranch() {
        JsonNode created = json(client.call("POST", PLATFORM + "/branches",
                "{\"name\":\"release/1.0\",\"startPoint\":\"refs/heads/main\"}", SANDBOX_BEARER), 200);
        assertEquals("refs/heads/release/1.0", created.path("id").asText());
        assertEquals(409, client.call("POST", PLATFORM + "/branches",
                "{\"name\":\"release/1.0\",\"startPoint\":\"main\"}", SANDBOX_BEARER).statusCode());
        assertEquals(400, client.call("POST", PLATFORM + "/branches",
                "{\"name\":\"x\",\"startPoint\":\"no-such-branch\"}", SANDBOX_BEARER).statusCode());

        assertEquals(204, client.call("PUT", PLATFORM + "/branches/default", "{\"id\":\"refs/heads/release/1.0\"}",
                SANDBOX_BEARER).statusCode());
        assertEquals("refs/heads/release/1.0", json(client.get(PLATFORM + "/branches/default"), 200).path("id").asText());
        JsonNode branches = json(client.get(PLATFORM + "/branches"), 200);
        assertEquals(2, branches.path("size").asInt());

        // a fresh repository has a default branch name but no ref yet
        json(client.call("POST", REPOS, "{\"name\":\"empty\"}", SANDBOX_BEARER), 201);
        assertEquals(204, client.get(REPOS + "/empty/branches/default").statusCode());
        assertEquals(404, client.get(REPOS + "/missing/branches/default").statusCode());
    }

    @Test
    void defaultBranchRouteAnswersAMinimalRefOr404ForAnEmptyRepository() {
        // docs/bitbucket-api-notes.md §15: RestMinimalRef; 404 when the configured default branch does not exist
        JsonNode ref = json(client.get(PLATFORM + "/default-branch"), 200);
        assertEquals(List.of("refs/heads/main", "main", "BRANCH"),
                List.of(ref.path("id").asText(), ref.path("displayId").asText(), ref.path("type").asText()));
        json(client.call("POST", REPOS, "{\"name\":\"empty\"}", SANDBOX_BEARER), 201);
        assertEquals(404, client.get(REPOS + "/empty/default-branch").statusCode());
        assertEquals(404, client.get(REPOS + "/missing/default-branch").statusCode());
    }

    @Test
    void groupPermissionsPutGetDelete() {
        String groups = PLATFORM + "/permissions/groups";
        assertEquals(204, client.call("PUT", groups + "?permission=REPO_WRITE&name=flux-admins", null, SANDBOX_BEARER)
                .statusCode());
        JsonNode listed = json(client.get(groups + "?filter=flux"), 200);
        assertEquals("flux-admins", listed.path("values").path(0).path("group").path("name").asText());
        assertEquals("REPO_WRITE", listed.path("values").path(0).path("permission").asText());
        assertEquals(400, client.call("PUT", groups + "?permission=PUSH&name=x", null, SANDBOX_BEARER).statusCode());
        assertEquals(204, client.call("DELETE", groups + "?name=flux-admins", null, SANDBOX_BEARER).statusCode());
        assertEquals(0, json(client.get(groups), 200).path("size").asInt());

        // a group grant gives its members access; without REPO_ADMIN managing grants is 401
        server.model().addUser("dev", "Developer", null, "devs");
        server.model().setPassword("dev", "dev-password");
        String devAuth = basic("dev", "dev-password");
        assertEquals(401, client.call("GET", PLATFORM, null, devAuth).statusCode());
        client.call("PUT", groups + "?permission=REPO_READ&name=devs", null, SANDBOX_BEARER);
        assertEquals(200, client.call("GET", PLATFORM, null, devAuth).statusCode());
        assertEquals(401, client.call("PUT", groups + "?permission=REPO_ADMIN&name=devs", null, devAuth).statusCode());
    }

    @Test
    void commitsAndChangesBetweenShasOrRefs() {
        String first = json(client.get(PLATFORM + "/commits"), 200).path("values").path(0).path("id").asText();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("apps/web/deployment.yaml", "kind: Deployment\n");
        files.put("README.md", "# platform\nchanged\n");
        String second = server.commitFiles("OPS", "platform", "main", files, "Add web app", "sandbox");

        JsonNode all = json(client.get(PLATFORM + "/commits"), 200);
        assertEquals(2, all.path("size").asInt());
        assertEquals(second, all.path("values").path(0).path("id").asText());
        assertEquals(first, all.path("values").path(0).path("parents").path(0).path("id").asText());
        JsonNode range = json(client.get(PLATFORM + "/commits?since=" + first + "&until=main"), 200);
        assertEquals(1, range.path("size").asInt());
        assertEquals("Add web app", range.path("values").path(0).path("message").asText());
        assertEquals(400, client.get(PLATFORM + "/commits?until=no-such-ref").statusCode());
        assertEquals(400, client.get(PLATFORM + "/commits?since=" + "f".repeat(40)).statusCode());
        assertEquals(404, client.get(REPOS + "/missing/commits").statusCode());

        JsonNode changes = json(client.get(PLATFORM + "/changes?until=" + second), 200);
        Map<String, String> types = new LinkedHashMap<>();
        changes.path("values").forEach(c -> types.put(c.path("path").path("toString").asText(), c.path("type").asText()));
        assertEquals(Map.of("README.md", "MODIFY", "apps/web/deployment.yaml", "ADD"), types);
        JsonNode added = null;
        for (JsonNode change : changes.path("values")) {
            if (change.path("type").asText().equals("ADD")) {
                added = change;
            }
        }
        assertEquals("yaml", added.path("path").path("extension").asText());
        assertEquals("apps/web", added.path("path").path("parent").asText());
        assertEquals(List.of("apps", "web", "deployment.yaml"),
                FakeJson.mapper().convertValue(added.path("path").path("components"), List.class));
        assertEquals(2, json(client.get(PLATFORM + "/changes?until=main&since=" + first), 200).path("size").asInt());
        assertEquals(400, client.get(PLATFORM + "/changes").statusCode());

        // one commit, its changes, history filters
        assertEquals("Add web app", json(client.get(PLATFORM + "/commits/" + second), 200).path("message").asText());
        assertEquals(404, client.get(PLATFORM + "/commits/" + "f".repeat(40)).statusCode());
        assertEquals(2, json(client.get(PLATFORM + "/commits/" + second + "/changes"), 200).path("size").asInt());
        JsonNode touchingApps = json(client.get(PLATFORM + "/commits?path=apps"), 200);
        assertEquals(1, touchingApps.path("size").asInt());
        assertEquals(second, touchingApps.path("values").path(0).path("id").asText());
        assertEquals(0, json(client.get(PLATFORM + "/commits?merges=only"), 200).path("size").asInt());
        assertEquals(400, client.get(PLATFORM + "/commits?merges=sometimes").statusCode());
    }

    @Test
    void compareChangesListsWhatFromHasAndToLacksAgainstTheirMergeBase() {
        String base = json(client.get(PLATFORM + "/commits"), 200).path("values").path(0).path("id").asText();
        String onMain = server.commitFiles("OPS", "platform", "main", Map.of("README.md", "v2\n"), "Update readme", "sandbox");
        assertEquals(200, client.call("POST", PLATFORM + "/branches", "{\"name\":\"feature\",\"startPoint\":\"" + base + "\"}",
                SANDBOX_BEARER).statusCode());
        String onFeature = server.commitFiles("OPS", "platform", "feature", Map.of("apps/a.yaml", "a: 1\n"), "Add a", "sandbox");

        JsonNode featureVsMain = json(client.get(PLATFORM + "/compare/changes?from=" + onFeature + "&to=main"), 200);
        assertEquals(List.of("apps/a.yaml"), paths(featureVsMain));
        JsonNode mainVsBase = json(client.get(PLATFORM + "/compare/changes?from=" + onMain + "&to=" + base + "&limit=1"), 200);
        assertEquals(List.of("README.md"), paths(mainVsBase));
        assertTrue(mainVsBase.path("isLastPage").asBoolean());
        // to defaults to the default branch
        assertEquals(List.of("README.md"), paths(json(client.get(PLATFORM + "/compare/changes?from=" + onMain + "&to=" + base), 200)));
        assertEquals(404, client.get(PLATFORM + "/compare/changes?from=" + "e".repeat(40)).statusCode());
        // outside the contract on purpose: the document lists no 400 here
        ServerClient unchecked = new ServerClient(server.baseUrl(), (sent, received) -> { });
        assertEquals(400, unchecked.call("GET", PLATFORM + "/compare/changes?to=main", null, SANDBOX_BEARER).statusCode());
    }

    private static List<String> paths(JsonNode page) {
        List<String> paths = new ArrayList<>();
        page.path("values").forEach(c -> paths.add(c.path("path").path("toString").asText()));
        return paths;
    }

    @Test
    void rawFilesAtARevision() {
        String first = json(client.get(PLATFORM + "/commits"), 200).path("values").path(0).path("id").asText();
        server.commitFiles("OPS", "platform", "main", Map.of("README.md", "v2\n"), "Update readme", "sandbox");
        HttpResponse<String> current = client.get(PLATFORM + "/raw/README.md");
        assertEquals(200, current.statusCode());
        assertEquals("v2\n", current.body());
        assertEquals("# platform\n", client.get(PLATFORM + "/raw/README.md?at=" + first).body());
        assertEquals(404, client.get(PLATFORM + "/raw/missing.txt").statusCode());
        assertEquals(400, client.get(PLATFORM + "/raw/README.md?at=no-such-ref").statusCode());
    }

    @Test
    void authenticationTokensAndUsernameHeader() {
        // Bearer and Basic user:token both work for a personal token; the latest alias too
        assertEquals("sandbox", client.get(PLATFORM).headers().firstValue("X-AUSERNAME").orElseThrow());
        assertEquals(200, client.call("GET", PLATFORM, null, basic("sandbox", BitbucketServerFake.SANDBOX_TOKEN)).statusCode());
        assertEquals(200, client.get("/rest/api/latest/projects/OPS/repos/platform").statusCode());

        HttpResponse<String> badToken = client.call("GET", PLATFORM, null, "Bearer wrong");
        assertEquals(401, badToken.statusCode());
        assertTrue(badToken.headers().firstValue("X-AUSERNAME").isEmpty());
        JsonNode envelope = json(badToken, 401);
        assertTrue(envelope.path("errors").path(0).has("exceptionName"));
        assertTrue(envelope.path("errors").path(0).has("context"));
        assertEquals(401, client.call("GET", PLATFORM, null, null).statusCode(), "anonymous, private repository");

        // a repository token works only as Bearer and only for its repository
        server.model().addToken(new ServerAccessToken("ci", "repo-token", "sandbox", ServerPermission.REPO_READ, "OPS", "platform"));
        assertEquals(200, client.call("GET", PLATFORM, null, "Bearer repo-token").statusCode());
        assertEquals(401, client.call("GET", PLATFORM, null, basic("sandbox", "repo-token")).statusCode());
        json(client.call("POST", REPOS, "{\"name\":\"other\"}", SANDBOX_BEARER), 201);
        assertEquals(401, client.call("GET", REPOS + "/other", null, "Bearer repo-token").statusCode());
        assertEquals(401, client.call("PUT", PLATFORM + "/permissions/groups?permission=REPO_READ&name=g", null,
                "Bearer repo-token").statusCode());
    }

    @Test
    void accessTokensAreCreatedWithAPasswordUsedAsBearerOrBasicAndRevoked() {
        String password = basic("sandbox", BitbucketServerFake.SANDBOX_PASSWORD);
        String userTokens = "/rest/access-tokens/1.0/users/sandbox";
        JsonNode created = json(client.call("PUT", userTokens,
                "{\"name\":\"bitbridge\",\"permissions\":[\"REPO_ADMIN\",\"PROJECT_READ\"],\"expiryDays\":90}", password), 200);
        String token = created.path("token").asText();
        String id = created.path("id").asText();
        assertTrue(id.matches("\\d{12}"), id);
        assertTrue(token.length() >= 40, token);
        HttpResponse<String> asBearer = client.call("GET", PLATFORM, null, "Bearer " + token);
        assertEquals(200, asBearer.statusCode());
        assertEquals("sandbox", asBearer.headers().firstValue("X-AUSERNAME").orElseThrow());
        assertEquals(200, client.call("GET", PLATFORM, null, basic("sandbox", token)).statusCode());
        // REPO_ADMIN caps the token: creating repositories needs PROJECT_ADMIN
        assertEquals(401, client.call("POST", REPOS, "{\"name\":\"nope\"}", "Bearer " + token).statusCode());
        // a token cannot create tokens
        assertEquals(401, client.call("PUT", userTokens, "{\"name\":\"x\",\"permissions\":[\"REPO_READ\"]}",
                "Bearer " + token).statusCode());
        assertEquals(400, client.call("PUT", userTokens, "{\"permissions\":[\"REPO_READ\"]}", password).statusCode());
        assertEquals(400, client.call("PUT", userTokens, "{\"name\":\"x\",\"permissions\":[\"ROOT\"]}", password).statusCode());

        JsonNode listed = json(client.get(userTokens), 200);
        assertTrue(listed.toString().contains(id));
        assertFalse(listed.toString().contains(token), "the raw token is shown only once");
        assertEquals("bitbridge", json(client.get(userTokens + "/" + id), 200).path("name").asText());

        String repoTokens = "/rest/access-tokens/1.0/projects/OPS/repos/platform";
        String repoToken = json(client.call("PUT", repoTokens, "{\"name\":\"ci\",\"permissions\":[\"REPO_READ\"]}", password), 200)
                .path("token").asText();
        assertEquals(200, client.call("GET", PLATFORM, null, "Bearer " + repoToken).statusCode());
        assertEquals(401, client.call("GET", PLATFORM, null, basic("sandbox", repoToken)).statusCode());
        assertEquals(400, client.call("PUT", repoTokens, "{\"name\":\"ci\",\"permissions\":[\"PROJECT_READ\"]}", password)
                .statusCode());

        assertEquals(204, client.call("DELETE", userTokens + "/" + id, null, password).statusCode());
        assertEquals(401, client.call("GET", PLATFORM, null, "Bearer " + token).statusCode());
        assertEquals(404, client.call("GET", userTokens + "/" + id, null, password).statusCode());

        server.model().addToken(new ServerAccessToken("1", "old", "expired-token", "sandbox", ServerPermission.REPO_READ,
                null, null, java.time.Instant.now().minusSeconds(7200), java.time.Instant.now().minusSeconds(60)));
        assertEquals(401, client.call("GET", PLATFORM, null, "Bearer expired-token").statusCode());
    }

    @Test
    void deployKeysAsFluxRegistersThem() throws Exception {
        // an OpenSSH ed25519 public key: string "ssh-ed25519" + string(32 key bytes)
        byte[] x509 = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        java.io.ByteArrayOutputStream blob = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(blob);
        out.writeInt(11);
        out.writeBytes("ssh-ed25519");
        out.writeInt(32);
        out.write(x509, x509.length - 32, 32);
        String publicKey = "ssh-ed25519 " + java.util.Base64.getEncoder().encodeToString(blob.toByteArray()) + " flux";
        String keys = "/rest/keys/1.0/projects/OPS/repos/platform/ssh";
        String body = "{\"key\":{\"text\":\"" + publicKey + "\",\"label\":\"flux-system\"},\"permission\":\"REPO_READ\"}";

        JsonNode created = json(client.call("POST", keys, body, SANDBOX_BEARER), 201);
        assertEquals("ED25519", created.path("key").path("algorithmType").asText());
        assertEquals(256, created.path("key").path("bitLength").asInt());
        assertEquals("flux-system", created.path("key").path("label").asText());
        assertEquals("REPO_READ", created.path("permission").asText());
        assertEquals("platform", created.path("repository").path("slug").asText());
        int id = created.path("key").path("id").asInt();
        assertEquals(1, json(client.get(keys), 200).path("size").asInt());
        assertEquals(400, client.call("POST", keys, body, SANDBOX_BEARER).statusCode(), "same key twice");
        assertEquals(400, client.call("POST", keys, body.replace(publicKey, "ssh-ed25519 not-base64"), SANDBOX_BEARER)
                .statusCode());
        assertEquals(400, client.call("POST", keys, body.replace("REPO_READ", "REPO_ADMIN"), SANDBOX_BEARER).statusCode());

        server.model().addUser("dev", "Developer", ServerPermission.REPO_WRITE);
        server.model().setPassword("dev", "pw");
        assertEquals(401, client.call("GET", keys, null, basic("dev", "pw")).statusCode());
        // flux replaces a changed key: delete, then create again
        assertEquals(204, client.call("DELETE", keys + "/" + id, null, SANDBOX_BEARER).statusCode());
        assertEquals(404, client.get(keys + "/" + id).statusCode());
        assertEquals(201, client.call("POST", keys, body, SANDBOX_BEARER).statusCode());
    }

    @Test
    void malformedRequestsGetClientErrorsInTheEnvelopeNeverA500() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("POST /rest/api/1.0/projects", 405);
        expected.put("GET /rest/api/1.0/projects/OPS/repos/platform/commits/zzz/changes", 400);
        expected.put("GET /rest/api/1.0/projects/OPS/repos/platform/nothing-here", 404);
        expected.put("GET /rest/api/1.0/projects/OPS/repos/platform/webhooks/abc", 404);
        expected.put("PUT /rest/api/1.0/projects/OPS/repos/platform/branches/default", 400);
        expected.put("GET /rest/api/2.0/repositories", 404);
        expected.put("GET /scm/ops", 404);
        expected.put("GET /rest/keys/1.0/projects/OPS/ssh", 404);
        // Outside the contract on purpose (the document lists no 405, nor a 400 for a missing body here).
        ServerClient unchecked = new ServerClient(server.baseUrl(), (sent, received) -> { });
        expected.forEach((call, status) -> {
            String[] parts = call.split(" ", 2);
            HttpResponse<String> response = unchecked.call(parts[0], parts[1], null, SANDBOX_BEARER);
            assertEquals(status, response.statusCode(), call + ": " + response.body());
            if (!parts[1].startsWith("/scm")) {
                assertFalse(errorMessage(response).isEmpty(), call + " answers DC's error envelope");
            }
        });
    }

    @Test
    void rateLimitingAnswers429WithRetryAfter() {
        server.rateLimit(2, Duration.ofMinutes(1));
        assertEquals(200, client.get(PLATFORM).statusCode());
        assertEquals(200, client.get(PLATFORM).statusCode());
        HttpResponse<String> limited = client.get(PLATFORM);
        assertEquals(429, limited.statusCode());
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        server.rateLimit(0, Duration.ofMinutes(1));
        assertEquals(200, client.get(PLATFORM).statusCode());
    }

    @Test
    void sandboxEndpointsSwitchRateLimitingAndArmFaults() {
        assertEquals(204, client.call("POST", "/_sandbox/rate-limit", "{\"requests\":1,\"windowSeconds\":30}", null)
                .statusCode());
        assertEquals(200, client.get(PLATFORM).statusCode());
        assertEquals(429, client.get(PLATFORM).statusCode());
        assertEquals(204, client.call("DELETE", "/_sandbox/rate-limit", null, null).statusCode());
        assertEquals(200, client.get(PLATFORM).statusCode());
        assertEquals(400, client.call("POST", "/_sandbox/commits", "{\"project\":\"OPS\"}", null).statusCode());

        // Injected faults answer in DC's envelope; a 429 carries Retry-After like the real limiter.
        assertEquals(201, client.call("POST", "/_sandbox/faults",
                "{\"kind\":\"rate_limit\",\"times\":1,\"path_prefix\":\"/rest/\"}", null).statusCode());
        assertEquals(201, client.call("POST", "/_sandbox/faults", "{\"kind\":\"status\",\"status\":503,\"times\":1}", null)
                .statusCode());
        HttpResponse<String> limited = client.get(PLATFORM);
        assertEquals(429, limited.statusCode());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> unavailable = client.get(PLATFORM);
        assertEquals(503, unavailable.statusCode());
        assertFalse(errorMessage(unavailable).isEmpty());
        assertEquals(200, client.get(PLATFORM).statusCode());
    }

    private static String cloneHref(JsonNode repository, String name) {
        for (JsonNode link : repository.path("links").path("clone")) {
            if (link.path("name").asText().equals(name)) {
                return link.path("href").asText();
            }
        }
        return null;
    }
}
