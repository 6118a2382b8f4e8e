package io.bitbridge.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic instance of every event, with non-ASCII text and nulls where the contract allows them. */
final class EventSamples {
    static final Instant T = Instant.parse("2026-11-22T10:15:30.123Z");
    static final RepositoryRef GAME = RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", "acme", "game", "Game",
            "https://bitbucket.org/acme/game",
            List.of(new RepositoryRef.CloneUrl("https", "https://bitbucket.org/acme/game.git")));
    static final Person ANNA = new Person("Anna Müller", null, "anna@example.com", "5b10a2844c20165700ede21g", "Anna Müller <anna@example.com>");

    private EventSamples() {
    }

    static Record sample(EventType type) {
        return switch (type) {
            case PUSH, PUSH_EXPANDED -> new PushEvent("d6c2f3a0-1111-4a8e-9d53-6b0f0b1e2c3d", 2, Provider.BITBUCKET_CLOUD,
                    "cred-1", "repo:push", GAME, ANNA,
                    List.of(new RefChange(RefType.BRANCH, "main", "a".repeat(40), "b".repeat(40), false, false, false,
                                    List.of(new Commit("b".repeat(40), "GAME-789 fix spawn #ci", ANNA, T, List.of("a".repeat(40)),
                                            type == EventType.PUSH_EXPANDED ? List.of("src/spawn.c") : List.of())),
                                    true, type == EventType.PUSH_EXPANDED,
                                    type == EventType.PUSH_EXPANDED ? List.of("src/spawn.c") : null, null),
                            new RefChange(RefType.TAG, "v1.0", null, "b".repeat(40), true, false, false, List.of(), false, false)),
                    T);
            case PULL_REQUEST -> new PullRequestEvent("req-2", 1, Provider.BITBUCKET_SERVER, "cred-2", "pr:opened",
                    PullRequestAction.OPENED,
                    RepositoryRef.of(Provider.BITBUCKET_SERVER, "bitbucket.example.com", "OPS", "platform", "platform", null, List.of()),
                    ANNA,
                    new PullRequest(42, "GAME-1 Übersetzung", null, PullRequestState.OPEN, "OPEN", ANNA,
                            new PullRequest.Endpoint("bitbucket-server:bitbucket.example.com/ops/platform", "feature/x", "abc123def456"),
                            new PullRequest.Endpoint("bitbucket-server:bitbucket.example.com/ops/platform", "main", null),
                            null, List.of(new PullRequest.Reviewer(ANNA, ReviewStatus.UNAPPROVED, false)), T, null),
                    T);
            case CREDENTIAL_LIFECYCLE -> new CredentialLifecycleEvent("evt-1", "cred-1", CredentialLifecycleEvent.Type.STATUS_CHANGED,
                    CredentialKind.BITBUCKET_CLOUD_OAUTH, "acme", CredentialLifecycleEvent.Status.DOWN,
                    "refresh failed: invalid_grant", "https://api.bitbucket.org/2.0", "anna", T);
            case REPOSITORY_CATALOG -> new RepositoryCatalogEvent("evt-2", "cred-1", RepositoryCatalogEvent.Type.DISCOVERED, GAME,
                    "main", true, T);
            case TASK_LINK -> new TaskLinkEvent("link-1", "GAME-789", "GAME", TaskLinkEvent.Target.COMMIT, GAME.key(),
                    "b".repeat(40), "GAME-789 fix spawn", ANNA, "d6c2", T);
            case BUILD_TRIGGER -> new BuildTriggerEvent("trig-1", BuildTriggerEvent.Status.QUEUED, GAME.key(), "main",
                    "b".repeat(40), "#jenkins:GameBuild", "default", "GameBuild", Map.of("BRANCH", "main"),
                    "http://jenkins/queue/item/7/", null, null, null, "d6c2", T);
            case GITOPS_COMMIT_REQUEST -> new GitOpsCommitRequest("req-9", "prod-eu", "Bump game to 1.2", ANNA,
                    List.of(new GitOpsCommitRequest.FileChange("apps/game/values.yaml", GitOpsCommitRequest.Operation.PUT, "tag: 1.2\n", false, false),
                            new GitOpsCommitRequest.FileChange("apps/old.yaml", GitOpsCommitRequest.Operation.DELETE, null, false, false)),
                    null, "release-bot", T, false);
            case GITOPS_COMMIT_RESULT -> new GitOpsCommitResult("req-9", "prod-eu", GitOpsCommitResult.Status.COMMITTED, GAME.key(),
                    "main", "c".repeat(40), "b".repeat(40), null, 2, T, List.of("apps/game/values.yaml", "apps/old.yaml"), 1,
                    "release-bot");
            case GITOPS_SYNC -> new GitOpsSyncEvent("evt-3", "prod-eu", GAME.key(), "main", "b".repeat(40), "c".repeat(40),
                    List.of("apps/game/values.yaml", "apps/old.yaml"), true, "d6c2", T, ANNA, "Raise replicas",
                    List.of(new GitOpsSyncEvent.SyncedFile("apps/game/values.yaml", false, "replicas: 3\n", false),
                            new GitOpsSyncEvent.SyncedFile("apps/old.yaml", true, null, false)));
        };
    }
}
