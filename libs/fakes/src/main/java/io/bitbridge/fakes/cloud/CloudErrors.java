package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeResponse;

import java.nio.charset.StandardCharsets;

/**
 * How Bitbucket Cloud answers what it refuses ({@code {"type":"error","error":{"message":...}}}), and the
 * {@link Refusal} a resource throws to answer with one from deep in a call; {@link CloudApi} catches it.
 */
final class CloudErrors {
    static final String RATE_LIMIT_BODY = "Rate limit for this resource has been exceeded";

    private CloudErrors() {
    }

    static FakeResponse error(int status, String message) {
        return FakeResponse.json(status, CloudJson.error(message));
    }

    static FakeResponse notAllowed() {
        return error(405, "Method not allowed");
    }

    static FakeResponse rateLimited() {
        return FakeResponse.bytes(429, "text/plain", RATE_LIMIT_BODY.getBytes(StandardCharsets.UTF_8));
    }

    /** Removed by CHANGE-2770 (docs/bitbucket-api-notes.md §5). */
    static FakeResponse gone() {
        ObjectNode body = FakeJson.object().put("type", "error");
        ObjectNode error = body.putObject("error").put("message", "CHANGE-2770 - Functionality has been deprecated")
                .put("detail", "Please read the changelog entry for more details.");
        error.putObject("data").put("announcement_url",
                "https://developer.atlassian.com/cloud/bitbucket/changelog/#CHANGE-2770");
        return FakeResponse.json(410, body);
    }

    /** A refusal with the answer it stands for. */
    static final class Refusal extends RuntimeException {
        final transient FakeResponse response;

        Refusal(FakeResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    static void require(CloudPrincipal who, CloudScopes needed) {
        if (!who.has(needed)) {
            throw new Refusal(scopeMissing(who, needed));
        }
    }

    static void requirePermission(CloudPrincipal who, Repo repo, CloudPermission needed) {
        CloudPermission held = who.permissionOn(repo);
        if (held == null || !held.includes(needed)) {
            throw new Refusal(error(403, switch (needed) {
                case READ -> "You do not have access to this repository.";
                case WRITE -> "Access denied. You must have write or admin access.";
                case ADMIN -> "Access denied. You must have admin access.";
            }));
        }
    }

    static Refusal notFound(String message) {
        return new Refusal(error(404, message));
    }

    static Refusal badRequest(String message) {
        return new Refusal(error(400, message));
    }

    private static FakeResponse scopeMissing(CloudPrincipal who, CloudScopes needed) {
        ObjectNode body = FakeJson.object().put("type", "error");
        ObjectNode error = body.putObject("error")
                .put("message", "Your credentials lack one or more required privilege scopes.");
        ObjectNode detail = error.putObject("detail");
        ArrayNode granted = detail.putArray("granted");
        who.scopes().forEach(granted::add);
        ArrayNode required = detail.putArray("required");
        who.required(needed).forEach(required::add);
        return FakeResponse.json(403, body);
    }
}
