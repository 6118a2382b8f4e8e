package io.bitbridge.testkit.fakes.cloud;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.bitbridge.testkit.SharedDocs;
import io.bitbridge.testkit.fakes.cloud.CloudTestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.testkit.fakes.common.FakeJson;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Validates the fake's responses, for every operation it implements, against Atlassian's saved Bitbucket Cloud
 * OpenAPI document with Atlassian's swagger-request-validator.
 */
class CloudContractTest {
    private static OpenApiInteractionValidator validator;
    private static BitbucketCloudFake fake;
    private static CloudTestClient client;
    private final List<String> problems = new ArrayList<>();

    /**
     * Where the saved spec disagrees with what Bitbucket documents or sends, the fake follows Bitbucket:
     * a diffstat entry of an added file has {@code "old": null} (the schema does not mark it nullable), and
     * {@code POST /src} answers 409 on a stale parent (the operation's description says so; its responses omit
     * it). Each entry: message key, then a fragment of the message. Not validated at all: {@code format=meta}
     * on a file, whose single-object answer the spec describes in prose but types as a paginated list.
     */
    private static final List<List<String>> KNOWN_SPEC_GAPS = List.of(
            List.of("validation.response.body.schema.type", "[Path '/values/0/old'] Instance type (null)"),
            List.of("validation.response.status.unknown", "Response status 409 not defined for path "
                    + "'/repositories/{workspace}/{repo_slug}/src'"),
            // A missing scope is answered with detail {"granted": [...], "required": [...]} as Bitbucket sends
            // it (clients print it); the schema types detail as a string.
            List.of("validation.response.body.schema.type", "[Path '/error/detail'] Instance type (object)"));

    @BeforeAll
    static void start() throws IOException {
        // The spec's base schema "object" carries a discriminator on "type" while every subtype is
        // allOf[object, ...]: the validator then recurses until the stack overflows. Only that keyword is
        // dropped; every schema and property stays as Atlassian publishes it.
        ObjectNode spec = (ObjectNode) FakeJson.parse(Files.readAllBytes(
                SharedDocs.specs().resolve("bitbucket-cloud-openapi.json")));
        ((ObjectNode) spec.path("components").path("schemas").path("object")).remove("discriminator");
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(spec.toString()).build();
        fake = BitbucketCloudFake.sandboxBuilder().branch("acme", "game", "feature", Map.of("docs/f.txt", "f\n"))
                .apiToken(BitbucketCloudFake.SANDBOX_EMAIL, "user-only", "read:user:bitbucket").start();
        client = CloudTestClient.sandbox(fake);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private Reply check(Request.Method method, Reply reply) {
        URI uri = reply.raw().request().uri();
        SimpleResponse.Builder response = SimpleResponse.Builder.status(reply.status());
        reply.raw().headers().map().forEach((name, values) -> response.withHeader(name, values));
        if (!reply.body().isEmpty()) {
            response.withBody(reply.body());
        }
        ValidationReport report = validator.validateResponse(uri.getRawPath(), method, response.build());
        report.getMessages().forEach(m -> describe(method + " " + uri.getRawPath() + " " + reply.status() + ": ", m));
        return reply;
    }

    private void describe(String prefix, ValidationReport.Message message) {
        boolean knownGap = KNOWN_SPEC_GAPS.stream().anyMatch(gap -> message.getKey().equals(gap.get(0))
                && message.getMessage().contains(gap.get(1)));
        if (message.getNestedMessages().isEmpty() && !knownGap) {
            problems.add(prefix + message.getKey() + " " + message.getMessage() + " " + message.getAdditionalInfo());
        }
        message.getNestedMessages().forEach(nested -> describe(prefix, nested));
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
}
