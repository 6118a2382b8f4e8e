package io.bitbridge.fakes.server;

import static io.bitbridge.fakes.server.ServerClient.SANDBOX_BEARER;
import static io.bitbridge.fakes.server.ServerClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Build statuses on commits (docs/bitbucket-api-notes.md §13), every exchange validated against the Data Center 9.2
 * OpenAPI document.
 */
class ServerBuildStatusTest {

    private BitbucketServerFake server;
    private ServerContract contract;
    private ServerClient client;
    private String commit;
    private String builds;

    @BeforeEach
    void start() {
        server = BitbucketServerFake.sandbox(0);
        contract = new ServerContract();
        client = new ServerClient(server.baseUrl(), contract::check);
        commit = server.commitFiles("OPS", "platform", "main", Map.of("a.txt", "a\n"), "GAME-1 build me", BitbucketServerFake.SANDBOX_USER);
        builds = "/rest/api/latest/projects/OPS/repos/platform/commits/" + commit + "/builds";
    }

    @AfterEach
    void stopAndCheckContract() {
        server.close();
        assertEquals(List.of(), contract.failures(), "responses that break the Data Center OpenAPI document");
    }

    @Test
    void aStatusIsStoredWith204AndTheSameKeyMovesItOn() {
        HttpResponse<String> posted = client.call("POST", builds, """
                {"key":"BITBRIDGE-GameBuild","state":"INPROGRESS","url":"https://jenkins.example.com/job/GameBuild/7/",
                 "name":"GameBuild #7","buildNumber":"7","ref":"refs/heads/main"}""", SANDBOX_BEARER);
        assertEquals(204, posted.statusCode());
        assertEquals("", posted.body());
        JsonNode running = json(client.get(builds + "?key=BITBRIDGE-GameBuild"), 200);
        assertEquals("INPROGRESS", running.path("state").asText());
        assertEquals("refs/heads/main", running.path("ref").asText());
        long created = running.path("createdDate").asLong();

        assertEquals(204, client.call("POST", builds.replace("/latest/", "/1.0/"), """
                {"key":"BITBRIDGE-GameBuild","state":"SUCCESSFUL","url":"https://jenkins.example.com/job/GameBuild/7/",
                 "description":"Jenkins build 7: SUCCESS"}""", SANDBOX_BEARER).statusCode());
        JsonNode done = json(client.get(builds + "?key=BITBRIDGE-GameBuild"), 200);
        assertEquals("SUCCESSFUL", done.path("state").asText());
        assertEquals(created, done.path("createdDate").asLong());
        assertEquals(1, server.buildStatuses().size(), "one status per key and commit");
        assertEquals(commit, server.buildStatuses().get(0).path("commitId").asText());
        assertEquals("OPS", server.buildStatuses().get(0).path("project").asText());
    }

    @Test
    void invalidStatusesAre400() {
        String url = "\"url\":\"https://jenkins.example.com/job/x/1/\"";
        for (String body : List.of(
                "{\"state\":\"SUCCESSFUL\"," + url + "}",
                "{\"key\":\"K\",\"state\":\"STOPPED\"," + url + "}",
                "{\"key\":\"K\",\"state\":\"FAILED\"}",
                "{\"key\":\"K\",\"state\":\"FAILED\"," + url + ",\"ref\":\"main\"}",
                "{\"key\":\"" + "k".repeat(256) + "\",\"state\":\"FAILED\"," + url + "}",
                "not json")) {
            HttpResponse<String> refused = client.call("POST", builds, body, SANDBOX_BEARER);
            assertEquals(400, refused.statusCode(), body);
            assertTrue(refused.body().contains("\"errors\""), refused.body());
        }
        HttpResponse<String> shortHash = client.call("POST", builds.replace(commit, commit.substring(0, 12)),
                "{\"key\":\"K\",\"state\":\"FAILED\"," + url + "}", SANDBOX_BEARER);
        assertEquals(400, shortHash.statusCode());
        assertEquals(List.of(), server.buildStatuses());
    }

    @Test
    void anonymousCannotPostUnknownRepositoriesAre404AndDeletingNeedsAdmin() {
        String body = "{\"key\":\"K\",\"state\":\"FAILED\",\"url\":\"https://jenkins.example.com/job/x/1/\"}";
        assertEquals(401, client.call("POST", builds, body, null).statusCode());
        assertEquals(404, client.call("POST", builds.replace("/platform/", "/nope/"), body, SANDBOX_BEARER).statusCode());
        assertEquals(404, client.get(builds + "?key=K").statusCode());
        assertEquals(204, client.call("POST", builds, body, SANDBOX_BEARER).statusCode());
        assertEquals(200, client.get(builds + "?key=K").statusCode());
        assertEquals(204, client.call("DELETE", builds + "?key=K", null, SANDBOX_BEARER).statusCode());
        assertEquals(404, client.get(builds + "?key=K").statusCode());
    }
}
