package io.bitbridge.testkit.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.testkit.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The validators for Atlassian's saved Bitbucket OpenAPI documents ({@code testdata/bitbucket-specs/}, trimmed by {@code testdata/trim-openapi.py}), loaded once per JVM.
 * Each tolerates exactly the known gaps between its document and what Bitbucket really sends or accepts
 * (docs/bitbucket-api-notes.md §1, §2, §7–§9); everything else is a problem.
 */
public final class BitbucketContracts {
    private static ContractValidator cloud;
    private static ContractValidator server;

    /** The Data Center spec paths (below {@code /rest}) of the operations the Server fake implements. */
    public static final Set<String> SERVER_IMPLEMENTED_PATHS = Set.of(
            "/api/latest/repos",
            "/api/latest/projects",
            "/api/latest/projects/{projectKey}",
            "/api/latest/projects/{projectKey}/webhooks",
            "/api/latest/projects/{projectKey}/webhooks/{webhookId}",
            "/api/latest/users/{userSlug}",
            "/api/latest/projects/{projectKey}/repos",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/branches",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/branches/default",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/permissions/groups",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/commits",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/changes",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/commits/{commitId}",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/commits/{commitId}/changes",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/commits/{commitId}/builds",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/compare/changes",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/raw/{path}",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/webhooks",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/webhooks/test",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/webhooks/{webhookId}",
            "/api/latest/projects/{projectKey}/repos/{repositorySlug}/webhooks/{webhookId}/latest",
            "/access-tokens/latest/users/{userSlug}",
            "/access-tokens/latest/users/{userSlug}/{tokenId}",
            "/access-tokens/latest/projects/{projectKey}/repos/{repositorySlug}",
            "/access-tokens/latest/projects/{projectKey}/repos/{repositorySlug}/{tokenId}",
            "/keys/latest/projects/{projectKey}/repos/{repositorySlug}/ssh",
            "/keys/latest/projects/{projectKey}/repos/{repositorySlug}/ssh/{keyId}");

    private BitbucketContracts() {
    }

    /**
     * Bitbucket Cloud 2.0 ({@code bitbucket-cloud-openapi.json}); paths as sent, e.g. {@code /2.0/user}. The
     * document's base schema "object" carries a discriminator on "type" while every subtype is
     * allOf[object, ...]: the validator then recurses until the stack overflows. Only that keyword is dropped;
     * every schema and property stays as Atlassian publishes it.
     */
    public static synchronized ContractValidator cloud() {
        if (cloud == null) {
            ObjectNode spec = readSpec("bitbucket-cloud-openapi.json");
            ((ObjectNode) spec.path("components").path("schemas").path("object")).remove("discriminator");
            cloud = new ContractValidator(OpenApiInteractionValidator.createForInlineApiSpecification(spec.toString())
                    .build(), UnaryOperator.identity(), BitbucketContracts::cloudSpecGap);
        }
        return cloud;
    }

    /**
     * Bitbucket Data Center 9.2 ({@code bitbucket-datacenter-9.2-openapi.json}), over the operations the Server
     * fake implements only: the saved document also declares path parameters its secret-scanning operations
     * never define, which the parser refuses as a whole. Its server URL is {@code http://{baseurl}/rest} with
     * paths {@code /api/latest/...}; the {@code /rest/<api>/1.0/...} real clients send is mapped to
     * {@code latest} (docs/bitbucket-api-notes.md §7).
     */
    public static synchronized ContractValidator server() {
        if (server == null) {
            ObjectNode spec = readSpec("bitbucket-datacenter-9.2-openapi.json");
            ((ObjectNode) spec.get("paths")).retain(SERVER_IMPLEMENTED_PATHS);
            OpenApiInteractionValidator validator = OpenApiInteractionValidator
                    .createForInlineApiSpecification(spec.toString())
                    .withBasePathOverride("/rest")
                    .withLevelResolver(LevelResolver.create()
                            // The spec marks fields Data Center really sends (links, avatarUrl) as writeOnly.
                            .withLevel("validation.response.body.schema.writeOnly", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
            server = new ContractValidator(validator,
                    path -> path.replaceFirst("^/rest/([a-z-]+)/1\\.0/", "/rest/$1/latest/"),
                    BitbucketContracts::serverSpecGap);
        }
        return server;
    }

    private static ObjectNode readSpec(String name) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(Files.readAllBytes(TestData.specs().resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /**
     * Where the Cloud document disagrees with what Bitbucket documents or sends, Bitbucket wins: a diffstat entry
     * of an added file has {@code "old": null} (the schema does not mark it nullable); {@code POST /src} answers 409
     * on a stale parent (the operation's description says so, its responses omit it); a missing scope is answered
     * with detail {@code {"granted": [...], "required": [...]}} as Bitbucket sends it (the schema types detail as a
     * string).
     */
    static boolean cloudSpecGap(String key, String message, String method, String path, int status) {
        // Creating and updating a repository hook takes a webhook_subscription body (the operations' descriptions
        // show and list it, docs/bitbucket-api-notes.md §2), yet the document declares no requestBody for them.
        if (key.equals("validation.request.body.unexpected")) {
            return (method.equals("POST") && CLOUD_REPOSITORY_HOOKS.matcher(path).matches())
                    || (method.equals("PUT") && CLOUD_REPOSITORY_HOOK.matcher(path).matches());
        }
        return (key.equals("validation.response.body.schema.type") && message.contains("[Path '/values/0/old'] Instance type (null)"))
                || (key.equals("validation.response.status.unknown") && message.contains(
                        "Response status 409 not defined for path '/repositories/{workspace}/{repo_slug}/src'"))
                || (key.equals("validation.response.body.schema.type") && message.contains("[Path '/error/detail'] Instance type (object)"));
    }

    private static final Pattern CLOUD_REPOSITORY_HOOKS = Pattern.compile("/2\\.0/repositories/[^/]+/[^/]+/hooks");
    private static final Pattern CLOUD_REPOSITORY_HOOK = Pattern.compile("/2\\.0/repositories/[^/]+/[^/]+/hooks/[^/]+");
    private static final Pattern SERVER_REPOSITORY_WEBHOOKS =
            Pattern.compile("/rest/api/latest/projects/[^/]+/repos/[^/]+/webhooks");
    private static final Pattern TYPE_PATH = Pattern.compile("\\[Path '(/values/\\d+)?/type'] Instance type \\(string\\)");

    /** Known gaps between the Data Center document and what Data Center really sends (fixtures, docs/bitbucket-api-notes.md). */
    static boolean serverSpecGap(String key, String message, String method, String path, int status) {
        if (key.equals("validation.request.parameter.query.unexpected")) {
            // The repository webhook list answers "A page of webhooks", and every paged resource takes start and
            // limit (the document's paging narrative, docs/bitbucket-api-notes.md §9), but this operation does not declare them.
            return method.equals("GET") && SERVER_REPOSITORY_WEBHOOKS.matcher(path).matches()
                    && (message.startsWith("Query parameter 'start' is unexpected")
                    || message.startsWith("Query parameter 'limit' is unexpected"));
        }
        if (path.endsWith("/latest")) {
            // RestDetailedInvocation declares start/finish as int32 (epoch millis overflow it) and request/result
            // as empty objects.
            return (key.equals("validation.response.body.schema.format.int32")
                    && (message.contains("[Path '/start']") || message.contains("[Path '/finish']")))
                    || (key.equals("validation.response.body.schema.additionalProperties")
                    && (message.contains("[Path '/request']") || message.contains("[Path '/result']")));
        }
        if (key.equals("validation.response.body.schema.additionalProperties")) {
            // links is declared as an empty object (DC sends clone/self), a personal project's owner and
            // RestBranch's isDefault (the document says "default") are not declared at all; nor are the
            // changes page's fromHash/toHash/properties and a path's toString (docs/bitbucket-api-notes.md §9).
            return message.contains("/links']") || message.endsWith("[\"owner\"]") || message.endsWith("[\"isDefault\"]")
                    || message.endsWith("[\"toString\"]")
                    || (path.endsWith("/changes") && message.endsWith("[\"fromHash\",\"properties\",\"toHash\"]"))
                    // RestWebhook omits the id/createdDate/updatedDate DC answers with (§8), and the test
                    // endpoint's RestWebhookRequestResponse is declared empty.
                    || (path.contains("/webhooks") && message.endsWith("[\"createdDate\",\"id\",\"updatedDate\"]"))
                    || (path.endsWith("/webhooks/test") && message.endsWith("[\"request\",\"response\"]"))
                    // A commit author DC knows as a user is rendered as that user (the fixtures' toCommit/commits
                    // show it); the document only declares name and emailAddress.
                    || ((message.contains("/author']") || message.contains("/committer']"))
                    && message.endsWith("[\"active\",\"displayName\",\"id\",\"links\",\"slug\",\"type\"]"));
        }
        if (key.equals("validation.response.body.schema.type")) {
            // RefType is {} in the document (read as an object); DC sends "BRANCH". DC's error context is null.
            return TYPE_PATH.matcher(message).find() || message.contains("/context'] Instance type (null)");
        }
        if (key.equals("validation.response.contentType.notAllowed")) {
            // raw/{path} answers the file's bytes; the document gives every 200 application/json.
            return path.contains("/raw/");
        }
        if (key.equals("validation.response.status.unknown")) {
            // 429 is cross-cutting (rate limiting); the document lists no 400/409 for branch creation.
            // Creating a repository in a missing project is a 404 (NoSuchProjectException), also undocumented.
            // 503 only comes from injected faults.
            return status == 429 || status == 503
                    || (method.equals("POST") && path.endsWith("/branches") && (status == 400 || status == 409))
                    || (method.equals("POST") && path.endsWith("/repos") && status == 404);
        }
        return false;
    }
}
