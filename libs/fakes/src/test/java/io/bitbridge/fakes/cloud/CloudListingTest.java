package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.cloud.CloudTestClient.Reply;
import io.bitbridge.fakes.common.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User, workspaces, repository listing and pagination, removed routes, rate limiting, faults. */
class CloudListingTest {
    private static BitbucketCloudFake fake;
    private static CloudTestClient sandbox;

    @BeforeAll
    static void start() {
        BitbucketCloudFake.Builder builder = BitbucketCloudFake.sandboxBuilder()
                .user("carol", "Carol Writer", "carol@example.com")
                .apiToken("carol@example.com", "carol-token", "read:repository:bitbucket", "read:workspace:bitbucket",
                        "read:user:bitbucket")
                .workspace("big", "sandbox")
                .member("acme", "carol", CloudPermission.WRITE);
        for (int i = 1; i <= 23; i++) {
            builder.repository("big", String.format("repo-%02d", i), "main", Map.of("README.md", "#" + i));
        }
        fake = builder.start();
        sandbox = CloudTestClient.sandbox(fake);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void userHasTheDocumentedFields() {
        JsonNode user = sandbox.get("/2.0/user").json();
        for (String field : List.of("type", "uuid", "account_id", "display_name", "nickname", "account_status",
                "has_2fa_enabled", "is_staff", "created_on", "links")) {
            assertTrue(user.has(field), field);
        }
        assertTrue(user.get("uuid").asText().matches("\\{[0-9a-f-]{36}}"));
        assertEquals("Sandbox User", user.get("display_name").asText());
    }

    @Test
    void userWorkspacesAreWorkspaceAccessItems() {
        JsonNode page = sandbox.get("/2.0/user/workspaces").json();
        assertEquals(3, page.get("size").asInt());
        JsonNode first = page.get("values").get(0);
        assertEquals("workspace_access", first.get("type").asText());
        assertTrue(first.get("administrator").asBoolean());
        assertEquals("acme", first.get("workspace").get("slug").asText());
        JsonNode carol = CloudTestClient.basic(fake, "carol@example.com", "carol-token").get("/2.0/user/workspaces")
                .json();
        assertEquals(1, carol.get("size").asInt());
        assertFalse(carol.get("values").get(0).get("administrator").asBoolean());
        assertEquals(0, CloudTestClient.basic(fake, "carol@example.com", "carol-token")
                .get("/2.0/user/workspaces?administrator=true").json().get("size").asInt());
    }

    @Test
    void paginationFollowsNextWithDefaultTenAndMaxHundred() {
        JsonNode first = sandbox.get("/2.0/repositories/big").json();
        assertEquals(10, first.get("pagelen").asInt());
        assertEquals(23, first.get("size").asInt());
        assertEquals(1, first.get("page").asInt());
        assertFalse(first.has("previous"));
        List<String> slugs = new ArrayList<>();
        JsonNode page = first;
        int pages = 0;
        while (true) {
            pages++;
            page.get("values").forEach(v -> slugs.add(v.get("slug").asText()));
            if (!page.has("next")) {
                break;
            }
            page = sandbox.get(page.get("next").asText()).json();
        }
        assertEquals(3, pages);
        assertEquals(23, slugs.size());
        assertEquals("repo-23", slugs.get(22));
        JsonNode big = sandbox.get("/2.0/repositories/big?pagelen=100").json();
        assertEquals(23, big.get("values").size());
        assertNull(big.get("next"));
        assertEquals(400, sandbox.get("/2.0/repositories/big?pagelen=101").status());
        JsonNode second = sandbox.get("/2.0/repositories/big?pagelen=5&page=2").json();
        assertEquals("repo-06", second.get("values").get(0).get("slug").asText());
        assertTrue(second.get("next").asText().contains("pagelen=5"), "next keeps the other parameters");
        assertTrue(second.get("previous").asText().contains("page=1"));
    }

    @Test
    void roleFilterNarrowsTheListing() {
        CloudTestClient carol = CloudTestClient.basic(fake, "carol@example.com", "carol-token");
        assertEquals(List.of("game", "infra"), CloudOAuthAndAuthTest.slugs(carol.get("/2.0/repositories/acme?role=member").json()));
        assertEquals(List.of("game", "infra"),
                CloudOAuthAndAuthTest.slugs(carol.get("/2.0/repositories/acme?role=contributor").json()));
        assertEquals(List.of(), CloudOAuthAndAuthTest.slugs(carol.get("/2.0/repositories/acme?role=admin").json()));
        assertEquals(List.of(), CloudOAuthAndAuthTest.slugs(carol.get("/2.0/repositories/acme?role=owner").json()));
        assertEquals(List.of(), CloudOAuthAndAuthTest.slugs(carol.get("/2.0/repositories/tools").json()));
        assertEquals(List.of("scripts"), CloudOAuthAndAuthTest.slugs(sandbox.get("/2.0/repositories/tools?role=owner").json()));
        assertEquals(400, carol.get("/2.0/repositories/acme?role=boss").status());
        assertEquals(404, sandbox.get("/2.0/repositories/nowhere").status());
    }

    @Test
    void repositoryCarriesSlugMainbranchAndCloneLinks() {
        JsonNode repo = sandbox.get("/2.0/repositories/acme/game").json();
        assertEquals("acme/game", repo.get("full_name").asText());
        assertEquals("game", repo.get("slug").asText());
        assertEquals("main", repo.get("mainbranch").get("name").asText());
        assertEquals(fake.gitUrl("acme", "game"), repo.get("links").get("clone").get(0).get("href").asText());
        String uuid = repo.get("uuid").asText();
        assertEquals(200, sandbox.get("/2.0/repositories/acme/" + CloudJson.encode(uuid)).status(),
                "paths take the {uuid} form too");
        assertEquals(404, sandbox.get("/2.0/repositories/acme/nope").status());
    }

    @Test
    void removedCrossWorkspaceRoutesAnswer410WithTheChange2770Body() {
        for (String path : List.of("/2.0/repositories", "/2.0/repositories?role=member", "/2.0/workspaces",
                "/2.0/user/permissions/repositories", "/2.0/user/permissions/workspaces")) {
            Reply reply = sandbox.get(path);
            assertEquals(410, reply.status(), path);
            JsonNode error = reply.json().get("error");
            assertEquals("CHANGE-2770 - Functionality has been deprecated", error.get("message").asText());
            assertEquals("Please read the changelog entry for more details.", error.get("detail").asText());
            assertTrue(error.get("data").get("announcement_url").asText().endsWith("#CHANGE-2770"));
        }
    }

    @Test
    void rateLimitAnswers429PlainTextWithoutRetryAfter() {
        fake.setRateLimited(true);
        try {
            Reply reply = sandbox.get("/2.0/repositories/acme/game");
            assertEquals(429, reply.status());
            assertEquals("text/plain", reply.header("Content-Type"));
            assertEquals("Rate limit for this resource has been exceeded", reply.body());
            assertNull(reply.header("Retry-After"));
        } finally {
            fake.setRateLimited(false);
        }
        assertEquals(200, sandbox.get("/2.0/repositories/acme/game").status());
    }

    @Test
    void sandboxSettingsSwitchBehaviourOverHttp() {
        CloudTestClient control = CloudTestClient.anonymous(fake);
        Reply on = control.postJson("/_sandbox/settings", Map.of("rate_limited", true));
        assertEquals(200, on.status());
        assertTrue(on.json().get("rate_limited").asBoolean());
        try {
            assertEquals(429, sandbox.get("/2.0/user").status());
        } finally {
            control.postJson("/_sandbox/settings", Map.of("rate_limited", false));
        }
        assertEquals(200, sandbox.get("/2.0/user").status());
        Reply broken = control.send(control.request("/_sandbox/settings")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{broken")));
        assertEquals(400, broken.status(), "bad JSON is a 400, not a stack trace");
    }

    @Test
    void armedFaultsHitTheNextCallsAndUseTheCloudBodies() {
        fake.faults().arm(Fault.rateLimited(1).onPath("/2.0/"));
        fake.faults().arm(Fault.status(503, 1).onPath("/2.0/"));
        Reply limited = sandbox.get("/2.0/user");
        assertEquals(429, limited.status());
        assertEquals("Rate limit for this resource has been exceeded", limited.body());
        Reply unavailable = sandbox.get("/2.0/user");
        assertEquals(503, unavailable.status());
        assertEquals("error", unavailable.json().get("type").asText());
        assertEquals(200, sandbox.get("/2.0/user").status());
        Reply armedOverHttp = CloudTestClient.anonymous(fake).postJson("/_sandbox/faults",
                Map.of("kind", "status", "status", 502, "times", 1));
        assertEquals(201, armedOverHttp.status());
        assertEquals(502, sandbox.get("/2.0/user").status());
        assertTrue(fake.requests().to("GET", "/2.0/user").size() >= 4);
    }
}
