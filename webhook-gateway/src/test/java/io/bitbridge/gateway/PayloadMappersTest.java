package io.bitbridge.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.webhook.CloudPayloadMapper;
import io.bitbridge.bitbucket.webhook.Dates;
import io.bitbridge.bitbucket.webhook.DeliveryContext;
import io.bitbridge.bitbucket.webhook.PayloadInvalidException;
import io.bitbridge.bitbucket.webhook.ServerPayloadMapper;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PullRequestAction;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PullRequestState;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.ReviewStatus;
import io.bitbridge.gateway.support.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two mappers on the cases that matter most: tolerant reading, strict structure, nothing invented. */
class PayloadMappersTest {
    private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    private final CloudPayloadMapper cloud = new CloudPayloadMapper();
    private final ServerPayloadMapper server = new ServerPayloadMapper();

    private static DeliveryContext delivery(Provider provider, String key) {
        return new DeliveryContext(provider, "cred-1", key, "delivery-1", 1, NOW, null);
    }

    private static DeliveryContext serverDelivery(String key, String serverHost) {
        return new DeliveryContext(Provider.BITBUCKET_SERVER, "cred-1", key, "delivery-1", 1, NOW, serverHost);
    }

    private static JsonNode json(String text) throws IOException {
        return EventJson.mapper().readTree(text);
    }

    private static JsonNode fixture(String relative) throws IOException {
        return EventJson.mapper().readTree(Fixtures.body(Fixtures.folder().resolve(relative)));
    }

    @Test
    void serverDatesReadInAllThreeFormsAndNothingElseIsGuessed() {
        Instant expected = Instant.parse("2018-07-05T19:21:30Z");
        assertEquals(expected, Dates.parse(EventJson.mapper().getNodeFactory().numberNode(expected.toEpochMilli())));
        assertEquals(expected, Dates.parse("2018-07-05T19:21:30+0000"));
        assertEquals(expected, Dates.parse("2018-07-05T19:21:30Z"));
        assertEquals(expected, Dates.parse("2018-07-05T21:21:30+02:00"));
        assertEquals(Instant.parse("2026-08-19T17:27:55.266Z"), Dates.parse("2026-08-19T17:27:55.266Z"));
        assertNull(Dates.parse("yesterday"));
        assertNull(Dates.parse("2018-07-05T19:21:30"), "no offset: unknown, not assumed UTC");
    }

    @Test
    void serverPushMapsEveryRefAndGivesDataCenterCommitsOnlyToTheirRef() throws IOException {
        JsonNode body = json("""
                {"eventKey":"repo:refs_changed","actor":{"name":"jörg","displayName":"Jörg Ü","emailAddress":"j@example.com","id":7},
                 "repository":{"slug":"platform","name":"Platform","project":{"key":"OPS"},
                   "links":{"self":[{"href":"https://Git.Example.com:8443/projects/OPS/repos/platform/browse"}]}},
                 "changes":[
                  {"ref":{"id":"refs/heads/main","displayId":"main","type":"BRANCH"},"fromHash":"%1$s","toHash":"%2$s","type":"UPDATE"},
                  {"ref":{"id":"refs/tags/v2","displayId":"v2","type":"TAG"},"fromHash":"%3$s","toHash":"%2$s","type":"ADD"},
                  {"refId":"refs/heads/gone","fromHash":"%1$s","toHash":"%3$s","type":"DELETE"}],
                 "commits":[{"id":"%2$s","message":"Grüße","author":{"name":"jörg","emailAddress":"j@example.com"},
                   "authorTimestamp":1530818490848,"parents":[{"id":"%1$s"}]}]}
                """.formatted("a".repeat(40), "b".repeat(40), "0".repeat(40)));
        PushEvent push = (PushEvent) server.map(delivery(Provider.BITBUCKET_SERVER, "repo:refs_changed"), body).event();
        assertEquals("bitbucket-server:git.example.com:8443/ops/platform", push.repository().key());
        assertEquals("Jörg Ü", push.actor().displayName());
        assertEquals(3, push.changes().size());

        RefChange main = push.changes().get(0);
        assertEquals(1, main.commits().size());
        assertEquals("Grüße", main.commits().get(0).message());
        assertEquals(Instant.ofEpochMilli(1530818490848L), main.commits().get(0).date());
        assertFalse(main.commitsComplete());

        RefChange tag = push.changes().get(1);
        assertEquals(RefType.TAG, tag.refType());
        assertTrue(tag.created());
        assertNull(tag.oldHash(), "forty zeros mean no commit");
        assertTrue(tag.commits().isEmpty(), "the commits belong to branch main; the tag at the same commit gets none");

        RefChange gone = push.changes().get(2);
        assertEquals(RefType.BRANCH, gone.refType());
        assertEquals("gone", gone.refName());
        assertTrue(gone.deleted());
        assertNull(gone.newHash());
    }

    /**
     * Atlassian's own older payloads: the push names its host in links, the pull requests of the same repository name
     * none. With the credential's host (credential-service's base URL) every event of the repository gets one key;
     * without it the links are used and nothing is invented.
     */
    @Test
    void serverRepositoryKeysComeFromTheCredentialsHostSoPushesAndPullRequestsShareThem() throws IOException {
        String folder = "jenkinsci-atlassian-bitbucket-server-integration-plugin/";
        JsonNode push = fixture(folder + "repo_refs_changed__refs-changed.json");
        JsonNode merged = fixture(folder + "pr_merged__pr-merged.json");
        String pushKey = server.map(serverDelivery("repo:refs_changed", "bitbucket.corp.example:7990"), push).recordKey();
        String prKey = server.map(serverDelivery("pr:merged", "bitbucket.corp.example:7990"), merged).recordKey();
        assertEquals("bitbucket-server:bitbucket.corp.example:7990/proj/repository", pushKey);
        assertEquals(pushKey, prKey);
        PullRequestEvent event = (PullRequestEvent) server.map(serverDelivery("pr:merged", "bitbucket.corp.example:7990"), merged).event();
        assertEquals(pushKey, event.pullRequest().destination().repositoryKey(), "the target repository is named by the same key");

        assertEquals("bitbucket-server:localhost:7990/proj/repository",
                server.map(delivery(Provider.BITBUCKET_SERVER, "repo:refs_changed"), push).recordKey(), "no credential host: the links");
        assertEquals("bitbucket-server:unknown-host/proj/repository",
                server.map(delivery(Provider.BITBUCKET_SERVER, "pr:merged"), merged).recordKey(), "no host anywhere: said, not guessed");
    }

    @Test
    void cloudRepositoryKeysAlwaysNameBitbucketOrgWhateverTheLinks() throws IOException {
        JsonNode body = json("""
                {"actor":{"display_name":"Old","uuid":"{11111111-2222-3333-4444-555555555555}","username":"old"},
                 "repository":{"full_name":"team/repo","links":{"html":{"href":"https://api.bitbucket.org/team/repo"}}},
                 "push":{"changes":[]}}
                """);
        PushEvent push = (PushEvent) cloud.map(delivery(Provider.BITBUCKET_CLOUD, "repo:push"), body).event();
        assertEquals("bitbucket-cloud:bitbucket.org/team/repo", push.repository().key());
        assertEquals("https://api.bitbucket.org/team/repo", push.repository().htmlUrl(), "the link itself is carried");
        assertNull(push.actor().accountId(), "a uuid is not an account id");
        assertEquals("old", push.actor().username());
    }

    @Test
    void olderServerBodiesWithoutLinksOrCommitsStillNormalise() throws IOException {
        PushEvent push = (PushEvent) server.map(delivery(Provider.BITBUCKET_SERVER, "repo:refs_changed"),
                fixture("drone-go-scm/repo_refs_changed__push.json")).event();
        assertEquals(1, push.changes().size());
        assertTrue(push.changes().get(0).commits().isEmpty());
        // Only the clone link of a minimal body names the project and repository.
        PushEvent minimal = (PushEvent) server.map(delivery(Provider.BITBUCKET_SERVER, "repo:refs_changed"),
                fixture("tektoncd-triggers/repo_refs_changed__curl-example-sha1-signed.json")).event();
        assertEquals("bitbucket-server:localhost:7990/~test/helloworld", minimal.repository().key());
        assertEquals("main", minimal.changes().get(0).refName());
        assertEquals(RefType.UNKNOWN, minimal.changes().get(0).refType());
    }

    @Test
    void cloudUsersAreReadInEveryGenerationAndAuthorsWithOnlyRawKeepTheirEmail() throws IOException {
        JsonNode body = json("""
                {"actor":{"username":"old-style","display_name":"Old Style"},
                 "repository":{"full_name":"team/repo"},
                 "push":{"changes":[{"new":{"type":"branch","name":"main","target":{"hash":"%1$s"}},"old":null,
                   "commits":[{"hash":"%1$s","message":"m","author":{"raw":"Ann Other <ann@example.com>"}},
                              {"hash":"%2$s","author":{"raw":"Former user","user":{"display_name":"Former user","account_id":"x1","nickname":"fu"}}}]}]}}
                """.formatted("c".repeat(40), "d".repeat(40)));
        PushEvent push = (PushEvent) cloud.map(delivery(Provider.BITBUCKET_CLOUD, "repo:push"), body).event();
        assertEquals("old-style", push.actor().username());
        RefChange change = push.changes().get(0);
        assertTrue(change.created(), "old is null: the branch was created");
        assertEquals("ann@example.com", change.commits().get(0).author().email());
        assertEquals("Ann Other", change.commits().get(0).author().displayName());
        assertNull(change.commits().get(0).author().accountId());
        assertEquals("fu", change.commits().get(1).author().username());
        assertEquals("x1", change.commits().get(1).author().accountId());
        assertNull(change.commits().get(1).author().email());
    }

    @Test
    void oddPullRequestValuesAreCarriedOrMarkedUnknownNeverInvented() throws IOException {
        PullRequestEvent event = (PullRequestEvent) cloud.map(delivery(Provider.BITBUCKET_CLOUD, "pullrequest:approved"),
                fixture("go-playground-webhooks/pullrequest_approved__pr-approved.json")).event();
        assertEquals(PullRequestState.UNKNOWN, event.pullRequest().state());
        assertEquals("OPEN|MERGED|DECLINED", event.pullRequest().rawState());
        assertEquals(PullRequestAction.APPROVED, event.action());

        PullRequestEvent later = (PullRequestEvent) cloud.map(delivery(Provider.BITBUCKET_CLOUD, "pullrequest:some_future_event"),
                fixture("woodpecker-ci-woodpecker/pullrequest_created__2025-pr-created.json")).event();
        assertEquals(PullRequestAction.UNKNOWN, later.action());
        assertEquals("pullrequest:some_future_event", later.eventKey());
        assertEquals(12, later.pullRequest().source().commit().length(), "short hashes are carried as delivered");
    }

    @Test
    void serverPullRequestsReadReviewersMergeCommitsAndTheTargetRepository() throws IOException {
        PullRequestEvent merged = (PullRequestEvent) server.map(delivery(Provider.BITBUCKET_SERVER, "pr:merged"),
                fixture("drone-go-scm/pr_merged__pr-merged-iso-dates.json")).event();
        assertEquals(PullRequestAction.MERGED, merged.action());
        assertEquals(PullRequestState.MERGED, merged.pullRequest().state());
        assertEquals(Instant.parse("2018-07-05T19:33:14Z"), merged.pullRequest().createdAt());
        assertEquals(merged.repository().key(), merged.pullRequest().destination().repositoryKey());

        PullRequestEvent needsWork = (PullRequestEvent) server.map(delivery(Provider.BITBUCKET_SERVER, "pr:reviewer:needs_work"),
                fixture("go-playground-webhooks/pr_reviewer_needs_work__pr-reviewer-needs-work.json")).event();
        assertEquals(PullRequestAction.CHANGES_REQUESTED, needsWork.action());
        assertTrue(needsWork.pullRequest().reviewers().stream().anyMatch(r -> r.status() == ReviewStatus.CHANGES_REQUESTED));
    }

    @Test
    void whatAKeyRequiresMustBeThere() throws IOException {
        assertThrows(PayloadInvalidException.class, () -> cloud.map(delivery(Provider.BITBUCKET_CLOUD, "repo:push"),
                json("{\"push\":{\"changes\":[]}}")), "no repository");
        assertThrows(PayloadInvalidException.class, () -> cloud.map(delivery(Provider.BITBUCKET_CLOUD, "repo:push"),
                json("{\"repository\":{\"full_name\":\"a/b\"},\"push\":{\"changes\":[{\"new\":{\"type\":\"branch\"}}]}}")), "no ref name");
        assertThrows(PayloadInvalidException.class, () -> server.map(delivery(Provider.BITBUCKET_SERVER, "pr:opened"),
                json("{\"pullRequest\":{\"toRef\":{\"repository\":{\"slug\":\"s\",\"project\":{\"key\":\"P\"}}}}}")), "no id");
        assertThrows(PayloadInvalidException.class, () -> server.map(delivery(Provider.BITBUCKET_SERVER, "repo:refs_changed"),
                json("{\"repository\":{\"slug\":\"s\",\"project\":{\"key\":\"P\"}},\"changes\":{}}")), "changes not an array");
    }
}
