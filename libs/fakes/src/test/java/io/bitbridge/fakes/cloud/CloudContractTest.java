package io.bitbridge.fakes.cloud;

import com.atlassian.oai.validator.model.Request;
import io.bitbridge.testkit.contract.BitbucketContracts;
import io.bitbridge.fakes.cloud.CloudTestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Validates the fake's responses, for every operation it implements, against Atlassian's saved Bitbucket Cloud
 * OpenAPI document with Atlassian's swagger-request-validator.
 */
class CloudContractTest {
    private static BitbucketCloudFake fake;
    private static CloudTestClient client;
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void start() {
        fake = BitbucketCloudFake.sandboxBuilder().branch("acme", "game", "feature", Map.of("docs/f.txt", "f\n"))
                .apiToken(BitbucketCloudFake.SANDBOX_EMAIL, "user-only", "read:user:bitbucket").start();
        client = CloudTestClient.sandbox(fake);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    /**
     * The response against the document ({@link BitbucketContracts#cloud()} tolerates its known gaps). Not
     * validated at all: {@code format=meta} on a file, whose single-object answer the spec describes in prose but
     * types as a paginated list.
     */
    private Reply check(Request.Method method, Reply reply) {
        problems.addAll(BitbucketContracts.cloud().validateResponse(method.name(), reply.raw().request().uri().getRawPath(),
                reply.status(), reply.raw().headers().map(), reply.body()));
        return reply;
    }

    private Reply get(String path) {
        return check(Request.Method.GET, client.get(path));
    }

    @Test
    void readOperationsMatchTheSpec() {
        String main = fake.branchTip("acme", "game", "main");
        String feature = fake.branchTip("acme", "game", "feature");
        for (String path : List.of("/2.0/user", "/2.0/user/workspaces", "/2.0/repositories/acme",
                "/2.0/repositories/acme?role=contributor", "/2.0/repositories/acme/game",
                "/2.0/repositories/acme/game/refs/branches", "/2.0/repositories/acme/game/refs/branches/main",
                "/2.0/repositories/acme/game/refs", "/2.0/repositories/acme/game/commits",
                "/2.0/repositories/acme/game/commits/feature?exclude=main",
                "/2.0/repositories/acme/game/commit/" + feature,
                "/2.0/repositories/acme/game/diffstat/" + feature,
                "/2.0/repositories/acme/game/diffstat/" + feature + ".." + main,
                "/2.0/repositories/acme/game/src/" + feature + "/docs",
                "/2.0/repositories/acme/game/commit/" + main + "/statuses")) {
            assertEquals(200, get(path).status(), path);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void writeOperationsMatchTheSpec() {
        String main = fake.branchTip("acme", "game", "main");
        check(Request.Method.POST, client.postJson("/2.0/repositories/acme/game/refs/branches",
                Map.of("name", "contract", "target", Map.of("hash", main))));
        check(Request.Method.DELETE, client.delete("/2.0/repositories/acme/game/refs/branches/contract"));
        check(Request.Method.POST, client.postForm("/2.0/repositories/acme/game/src", "c.txt", "c"));
        assertEquals(200, check(Request.Method.POST, client.postJson("/2.0/repositories/acme/created",
                Map.of("scm", "git", "is_private", true, "project", Map.of("key", "ACME")))).status());
        check(Request.Method.POST, client.postJson("/2.0/repositories/acme/game/commit/" + main + "/statuses/build",
                Map.of("key", "ci", "state", "SUCCESSFUL", "url", "https://ci.example/1")));
        Reply hook = check(Request.Method.POST, client.postJson("/2.0/repositories/acme/game/hooks",
                Map.of("url", "https://example.com/hook", "events", List.of("repo:push"), "secret", "s")));
        String one = "/2.0/repositories/acme/game/hooks/" + CloudJson.encode(hook.json().get("uuid").asText());
        get(one);
        get("/2.0/repositories/acme/game/hooks");
        check(Request.Method.PUT, client.putJson(one, Map.of("active", false)));
        check(Request.Method.DELETE, client.delete(one));
        Reply workspaceHook = check(Request.Method.POST, client.postJson("/2.0/workspaces/acme/hooks",
                Map.of("url", "https://example.com/ws", "events", List.of("repo:push"))));
        get("/2.0/workspaces/acme/hooks/" + CloudJson.encode(workspaceHook.json().get("uuid").asText()));
        assertEquals(List.of(), problems);
    }

    @Test
    void documentedErrorResponsesMatchTheSpec() {
        assertEquals(404, get("/2.0/repositories/acme/nope").status());
        assertEquals(403, check(Request.Method.GET, CloudTestClient.basic(fake, BitbucketCloudFake.SANDBOX_EMAIL,
                "user-only").get("/2.0/repositories/acme/game")).status());
        assertEquals(404, get("/2.0/repositories/acme/game/commit/" + "0".repeat(40)).status());
        assertEquals(404, get("/2.0/workspaces/acme/hooks/" + CloudJson.encode("{00000000-0000-0000-0000-000000000000}"))
                .status());
        assertEquals(409, check(Request.Method.POST, client.postForm("/2.0/repositories/acme/game/src", "x.txt", "x",
                "parents", "0".repeat(40))).status());
        assertEquals(List.of(), problems);
    }

    @Test
    void repositoryGroupPermissionsMatchTheSpec() {
        String one = "/2.0/repositories/acme/game/permissions-config/groups/developers";
        assertEquals(404, get(one).status(), "no explicit permission yet");
        Reply granted = check(Request.Method.PUT, client.putJson(one, Map.of("permission", "write")));
        assertEquals(200, granted.status());
        assertEquals("write", granted.json().path("permission").asText());
        assertEquals("acme:developers", granted.json().path("group").path("full_slug").asText());
        assertEquals("write", get(one).json().path("permission").asText());
        assertEquals(1, get("/2.0/repositories/acme/game/permissions-config/groups").json().path("values").size());
        assertEquals(Map.of("developers", "write"), fake.groupPermissions("acme", "game"));

        assertEquals(400, check(Request.Method.PUT, client.putJson(one, Map.of("permission", "owner"))).status());
        assertEquals(404, check(Request.Method.PUT, client.putJson("/2.0/repositories/acme/game/permissions-config/groups/nobody",
                Map.of("permission", "read"))).status());
        // only Basic authentication (app password, API token) may change permissions
        CloudTestClient oauth = CloudTestClient.bearer(fake, fake.issueAccessToken(BitbucketCloudFake.SANDBOX_CONSUMER_KEY,
                BitbucketCloudFake.SANDBOX_USER));
        assertEquals(403, check(Request.Method.PUT, oauth.putJson(one, Map.of("permission", "admin"))).status());
        assertEquals(204, check(Request.Method.DELETE, client.delete(one)).status());
        assertEquals(Map.of(), fake.groupPermissions("acme", "game"));
        assertEquals(List.of(), problems);
    }
}
