package io.bitbridge.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PullRequest;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.RepositoryRef;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a published event must say, read straight from the webhook body by Bitbucket's documented meaning of each
 * field (not by the mappers' code): the fixture test checks every public payload against these.
 */
public final class FixtureExpectations {
    private static final String ZERO_HASH = "0".repeat(40);

    private FixtureExpectations() {
    }

    /**
     * The record key is the repository key; Cloud names bitbucket.org, Server the credential's host (from
     * credential-service), and owner/slug are the body's own where it names them.
     */
    public static void repository(String name, Provider provider, JsonNode repo, RepositoryRef ref, String recordKey) {
        assertEquals(ref.key(), recordKey, name + ": record key = repository key");
        if (provider == Provider.BITBUCKET_CLOUD) {
            String prefix = "bitbucket-cloud:bitbucket.org/";
            assertTrue(ref.key().startsWith(prefix), name + ": " + ref.key());
            String fullName = text(repo, "full_name");
            if (fullName != null) {
                assertEquals(prefix + fullName.toLowerCase(Locale.ROOT), ref.key(), name);
            }
        } else {
            String prefix = "bitbucket-server:" + FakeCredentialService.SERVER_HOST + "/";
            assertTrue(ref.key().startsWith(prefix), name + ": the credential's host names the repository: " + ref.key());
            String project = text(repo.path("project"), "key");
            String slug = text(repo, "slug");
            if (project != null && slug != null) {
                assertEquals(prefix + (project + "/" + slug).toLowerCase(Locale.ROOT), ref.key(), name);
            }
        }
    }

    public static void actor(String name, Provider provider, JsonNode actor, Person person) {
        if (!actor.isObject()) {
            return;
        }
        if (provider == Provider.BITBUCKET_CLOUD) {
            assertEquals(text(actor, "display_name"), person.displayName(), name + ": actor display name");
            assertEquals(text(actor, "account_id"), person.accountId(), name + ": actor account id (never a uuid)");
            String username = text(actor, "username") != null ? text(actor, "username") : text(actor, "nickname");
            assertEquals(username, person.username(), name + ": actor username or nickname");
        } else {
            assertEquals(text(actor, "displayName"), person.displayName(), name + ": actor display name");
            assertEquals(text(actor, "name"), person.username(), name + ": actor name");
            assertEquals(text(actor, "emailAddress"), person.email(), name + ": actor e-mail");
        }
    }

    /** Cloud: {@code new}/{@code old} null means created/deleted. Server: ADD/DELETE, forty zeros for "no commit". */
    public static void change(String name, Provider provider, JsonNode body, RefChange change) {
        assertFalse(change.commitsComplete(), name + ": only the REST API can say the commits are complete");
        if (provider == Provider.BITBUCKET_CLOUD) {
            JsonNode next = body.path("new");
            JsonNode previous = body.path("old");
            // An empty object names no ref and no commit (a hand-written body has "old": {}): the same as null.
            boolean hasNew = next.isObject() && !next.isEmpty();
            boolean hasOld = previous.isObject() && !previous.isEmpty();
            JsonNode ref = hasNew ? next : previous;
            assertEquals(text(ref, "name"), change.refName(), name + ": ref name");
            assertEquals(cloudRefType(text(ref, "type")), change.refType(), name + ": branch or tag");
            assertEquals(hasNew ? text(next.path("target"), "hash") : null, change.newHash(), name + ": new hash");
            assertEquals(hasOld ? text(previous.path("target"), "hash") : null, change.oldHash(), name + ": old hash");
            assertEquals(hasNew && !hasOld, change.created(), name + ": created");
            assertEquals(hasOld && !hasNew, change.deleted(), name + ": deleted");
            assertEquals(body.path("forced").asBoolean(false), change.forced(), name + ": forced");
            assertEquals(body.path("truncated").asBoolean(false), change.truncated(), name + ": truncated carried");
            assertEquals(body.path("commits").size(), change.commits().size(), name + ": commits as delivered");
            for (int i = 0; i < change.commits().size(); i++) {
                assertEquals(text(body.path("commits").get(i), "hash"), change.commits().get(i).hash(), name + ": commit " + i);
            }
        } else {
            String refId = text(body.path("ref"), "id") != null ? text(body.path("ref"), "id") : text(body, "refId");
            String displayId = text(body.path("ref"), "displayId");
            assertEquals(displayId != null ? displayId : refId.replaceFirst("^refs/(heads|tags)/", ""), change.refName(), name + ": ref name");
            RefType expectedType = serverRefType(text(body.path("ref"), "type"), refId);
            if (expectedType != null) {
                assertEquals(expectedType, change.refType(), name + ": branch or tag");
            }
            assertEquals(noCommit(text(body, "fromHash")), change.oldHash(), name + ": old hash");
            assertEquals(noCommit(text(body, "toHash")), change.newHash(), name + ": new hash");
            String type = text(body, "type");
            if (type != null) {
                assertEquals("ADD".equals(type), change.created(), name + ": created");
                assertEquals("DELETE".equals(type), change.deleted(), name + ": deleted");
            }
            if (change.deleted()) {
                assertNull(change.newHash(), name + ": a deleted ref points nowhere");
                assertTrue(change.commits().isEmpty(), name + ": a deleted ref has no new commits");
            }
        }
    }

    public static void pullRequest(String name, Provider provider, JsonNode pr, PullRequest event) {
        assertEquals(pr.path("id").asLong(), event.id(), name + ": id");
        assertEquals(text(pr, "state"), event.rawState(), name + ": state as delivered");
        assertEquals(text(pr, "title"), event.title(), name + ": title");
        if (provider == Provider.BITBUCKET_CLOUD) {
            assertEquals(text(pr.path("source").path("branch"), "name"), event.source().branch(), name + ": source branch");
            assertEquals(text(pr.path("destination").path("branch"), "name"), event.destination().branch(), name + ": destination branch");
            assertEquals(text(pr.path("source").path("commit"), "hash"), event.source().commit(), name + ": source commit, short or not");
        } else {
            assertEquals(serverBranch(pr.path("fromRef")), event.source().branch(), name + ": source branch");
            assertEquals(serverBranch(pr.path("toRef")), event.destination().branch(), name + ": destination branch");
            assertEquals(text(pr.path("fromRef"), "latestCommit"), event.source().commit(), name + ": source commit");
        }
    }

    private static RefType cloudRefType(String type) {
        if (type == null) {
            return RefType.UNKNOWN;
        }
        return switch (type) {
            case "branch", "named_branch" -> RefType.BRANCH;
            case "tag", "annotated_tag" -> RefType.TAG;
            default -> RefType.UNKNOWN;
        };
    }

    /** Null when the body does not say (no type and a ref id without a refs/heads or refs/tags prefix). */
    private static RefType serverRefType(String type, String refId) {
        if (type != null) {
            return switch (type) {
                case "BRANCH" -> RefType.BRANCH;
                case "TAG" -> RefType.TAG;
                default -> RefType.UNKNOWN;
            };
        }
        if (refId != null && refId.startsWith("refs/heads/")) {
            return RefType.BRANCH;
        }
        return refId != null && refId.startsWith("refs/tags/") ? RefType.TAG : null;
    }

    private static String serverBranch(JsonNode ref) {
        String displayId = text(ref, "displayId");
        String id = text(ref, "id");
        return displayId != null ? displayId : id == null ? null : id.replaceFirst("^refs/heads/", "");
    }

    private static String noCommit(String hash) {
        return hash == null || ZERO_HASH.equals(hash) ? null : hash;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
