package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.bitbucket.webhook.WebhookSignature;
import io.bitbridge.fakes.common.JGitClientIsolation;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real git clone/fetch/push over smart HTTP with JGit's client transport. */
class CloudGitTransportTest {
    private static BitbucketCloudFake fake;
    private static WebhookReceiver receiver;
    private static JGitClientIsolation jgit;
    private static final PersonIdent DEV = new PersonIdent("Sandbox User", "sandbox@example.com");

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws IOException {
        jgit = JGitClientIsolation.in(home);
        fake = BitbucketCloudFake.sandboxBuilder()
                .user("reader", "Reader", "reader@example.com")
                .member("acme", "reader", CloudPermission.READ)
                .apiToken("reader@example.com", "reader-token", "read:repository:bitbucket",
                        "write:repository:bitbucket")
                .start();
        receiver = new WebhookReceiver();
        CloudTestClient.sandbox(fake).postJson("/2.0/repositories/acme/game/hooks", Map.of("url",
                receiver.url("/push"), "events", List.of("repo:push"), "secret", "git-secret"));
    }

    @AfterAll
    static void stop() {
        jgit.close();
        fake.close();
        receiver.close();
    }

    private static Git clone(Path dir, String user, String password) throws Exception {
        return Git.cloneRepository().setURI(fake.gitUrl("acme", "game")).setDirectory(dir.toFile())
                .setCredentialsProvider(new UsernamePasswordCredentialsProvider(user, password)).call();
    }

    private static RevCommit commitFile(Git git, String name, String content) throws Exception {
        Files.writeString(git.getRepository().getWorkTree().toPath().resolve(name), content, StandardCharsets.UTF_8);
        git.add().addFilepattern(name).call();
        return git.commit().setMessage("Add " + name).setAuthor(DEV).setCommitter(DEV).setSign(false).call();
    }

    private static RemoteRefUpdate.Status push(Git git, String user, String password, String refSpec, boolean force)
            throws Exception {
        Iterable<PushResult> results = git.push().setRemote("origin").setRefSpecs(new RefSpec(refSpec)).setForce(force)
                .setCredentialsProvider(new UsernamePasswordCredentialsProvider(user, password)).call();
        return results.iterator().next().getRemoteUpdates().iterator().next().getStatus();
    }

    @Test
    void cloneWithAnOAuthTokenAndPushSevenCommitsWithAnApiToken(@TempDir Path dir) throws Exception {
        String oauth = fake.issueAccessToken(BitbucketCloudFake.SANDBOX_CONSUMER_KEY, "sandbox");
        try (Git git = clone(dir, "x-token-auth", oauth)) {
            assertEquals("# game\n", Files.readString(dir.resolve("README.md")));
            String before = git.getRepository().resolve("HEAD").name();
            RevCommit last = null;
            for (int i = 1; i <= 7; i++) {
                last = commitFile(git, "file-" + i + ".txt", "content " + i + "\n");
            }
            int already = receiver.received("/push").size();
            assertEquals(RemoteRefUpdate.Status.OK,
                    push(git, "x-bitbucket-api-token-auth", BitbucketCloudFake.SANDBOX_API_TOKEN, "main:main", false));
            assertEquals(last.name(), fake.branchTip("acme", "game", "main"));
            fake.awaitDeliveries(Duration.ofSeconds(10));
            FakeRequest delivery = receiver.received("/push").get(already);
            assertTrue(WebhookSignature.verify(delivery.header("X-Hub-Signature"), delivery.body(), List.of("git-secret")));
            JsonNode change = delivery.json().get("push").get("changes").get(0);
            assertTrue(change.get("truncated").asBoolean(), "7 commits, at most 5 in the body");
            assertEquals(5, change.get("commits").size());
            assertEquals(last.name(), change.get("commits").get(0).get("hash").asText(), "newest first");
            assertEquals(before, change.get("old").get("target").get("hash").asText());
            assertFalse(change.get("forced").asBoolean());
        }
    }

    @Test
    void forcePushAndBranchDeleteAreReportedAsSuch(@TempDir Path dir) throws Exception {
        try (Git git = clone(dir, "sandbox", BitbucketCloudFake.SANDBOX_API_TOKEN)) {
            commitFile(git, "topic.txt", "t\n");
            int already = receiver.received("/push").size();
            assertEquals(RemoteRefUpdate.Status.OK, push(git, "sandbox", BitbucketCloudFake.SANDBOX_API_TOKEN,
                    "HEAD:refs/heads/topic", false));
            git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
            commitFile(git, "other.txt", "o\n");
            assertEquals(RemoteRefUpdate.Status.OK, push(git, "sandbox", BitbucketCloudFake.SANDBOX_API_TOKEN,
                    "HEAD:refs/heads/topic", true));
            assertEquals(RemoteRefUpdate.Status.OK, push(git, "sandbox", BitbucketCloudFake.SANDBOX_API_TOKEN,
                    ":refs/heads/topic", false));
            fake.awaitDeliveries(Duration.ofSeconds(10));
            List<FakeRequest> deliveries = receiver.received("/push");
            JsonNode created = deliveries.get(already).json().get("push").get("changes").get(0);
            JsonNode forced = deliveries.get(already + 1).json().get("push").get("changes").get(0);
            JsonNode deleted = deliveries.get(already + 2).json().get("push").get("changes").get(0);
            assertTrue(created.get("created").asBoolean());
            assertTrue(created.get("old").isNull());
            assertEquals(1, created.get("commits").size());
            assertTrue(forced.get("forced").asBoolean());
            assertTrue(deleted.get("closed").asBoolean());
            assertTrue(deleted.get("new").isNull());
            assertFalse(deleted.has("commits"), "deletes carry no commits");
        }
    }

    @Test
    void tagPushesCarryNoCommitsAndMatchTheTagFixtureShape(@TempDir Path dir) throws Exception {
        try (Git git = clone(dir, "x-bitbucket-api-token-auth", BitbucketCloudFake.SANDBOX_API_TOKEN)) {
            git.tag().setName("v1.0").setMessage("Release 1.0").setTagger(DEV).setAnnotated(true).setSigned(false)
                    .call();
            int already = receiver.received("/push").size();
            assertEquals(RemoteRefUpdate.Status.OK, push(git, "x-bitbucket-api-token-auth",
                    BitbucketCloudFake.SANDBOX_API_TOKEN, "refs/tags/v1.0:refs/tags/v1.0", false));
            fake.awaitDeliveries(Duration.ofSeconds(10));
            JsonNode change = receiver.received("/push").get(already).json().get("push").get("changes").get(0);
            assertEquals("tag", change.get("new").get("type").asText());
            assertEquals("Release 1.0", change.get("new").get("message").asText());
            assertFalse(change.has("commits"), "tags carry no commits");
            JsonNode fixture = CloudWebhookTest.readJson(io.bitbridge.testkit.TestData.webhookFixtures().resolve(
                    "drone-go-scm/repo_push__push-tag-create.json")).get("push").get("changes").get(0);
            assertEquals(CloudWebhookTest.keys(fixture), CloudWebhookTest.keys(change));
            assertEquals(CloudWebhookTest.keys(fixture.get("new")), CloudWebhookTest.keys(change.get("new")));
        }
    }

    @Test
    void gitRefusesMissingCredentialsAndReadersCannotPush(@TempDir Path dir) throws Exception {
        File anonymous = dir.resolve("anonymous").toFile();
        assertThrows(TransportException.class, () -> Git.cloneRepository().setURI(fake.gitUrl("acme", "game"))
                .setDirectory(anonymous).call());
        try (Git git = clone(dir.resolve("reader"), "reader", "reader-token")) {
            commitFile(git, "nope.txt", "n\n");
            assertThrows(TransportException.class, () -> push(git, "reader", "reader-token", "main:main", false));
        }
        assertThrows(TransportException.class, () -> clone(dir.resolve("wrong"), "x-token-auth", "not-a-token"));
    }
}
