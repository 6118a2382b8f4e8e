package io.bitbridge.scraper;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.events.Commit;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.scraper.support.BitbucketFakes;
import io.bitbridge.scraper.support.FakeCredentialService;
import io.bitbridge.scraper.support.Pushes;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.bitbridge.scraper.support.Pushes.cloudCommit;
import static io.bitbridge.scraper.support.Pushes.cloudRepository;
import static io.bitbridge.scraper.support.Pushes.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With {@code bitbridge.scraper.expansion.per-commit-paths} on, every expanded commit carries the paths it changed itself. */
@QuarkusTest
@TestProfile(PerCommitPathsTest.PerCommitPaths.class)
@WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FakeCredentialService.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = BitbucketFakes.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class PerCommitPathsTest {
    private static final String CLOUD = "cloud-per-commit";
    private static final String SERVER = "server-per-commit";

    public static class PerCommitPaths implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bitbridge.scraper.expansion.per-commit-paths", "true");
        }
    }

    @Inject
    EventPublisher publisher;

    @Test
    void cloudAndServerCommitsEachCarryTheirOwnPaths() throws Exception {
        Pushes.sandboxCredentials(CLOUD, SERVER);
        String old = BitbucketFakes.cloud().branchTip("acme", "game", "main");
        for (int i = 0; i < 3; i++) {
            cloudCommit("game", "main", "per-commit/c" + i + ".txt", "commit " + i, null);
        }
        String head = BitbucketFakes.cloud().branchTip("acme", "game", "main");
        RefChange cloud = Pushes.expand(publisher, push(Provider.BITBUCKET_CLOUD, CLOUD, cloudRepository("game"),
                new RefChange(RefType.BRANCH, "main", old, head, false, false, false, List.of(Pushes.bareCommit(head)), true, false)))
                .changes().get(0);
        assertEquals(3, cloud.commits().size());
        assertEquals(List.of(List.of("per-commit/c2.txt"), List.of("per-commit/c1.txt"), List.of("per-commit/c0.txt")),
                cloud.commits().stream().map(Commit::paths).toList(), "newest first, each its own path");
        assertEquals(List.of("per-commit/c0.txt", "per-commit/c1.txt", "per-commit/c2.txt"), cloud.paths());

        BitbucketServerFake server = BitbucketFakes.server();
        String base = server.repository("OPS", "platform").git().resolve("refs/heads/main").name();
        server.commitFiles("OPS", "platform", "main", Map.of("a.yaml", "a: 1\n", "b.yaml", "b: 1\n"), "Add a and b", "sandbox");
        String tip = server.commitFiles("OPS", "platform", "main", Map.of("c.yaml", "c: 1\n"), "Add c", "sandbox");
        RefChange onServer = Pushes.expand(publisher, push(Provider.BITBUCKET_SERVER, SERVER, Pushes.serverRepository(),
                new RefChange(RefType.BRANCH, "main", base, tip, false, false, false, List.of(), false, false))).changes().get(0);
        assertEquals(List.of(List.of("c.yaml"), List.of("a.yaml", "b.yaml")), onServer.commits().stream().map(Commit::paths).toList());
        assertTrue(onServer.commitsComplete());
    }
}
