package io.bitbridge.buildtrigger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitbridge.buildtrigger.config.TriggerConfig;
import io.bitbridge.events.Commit;
import io.bitbridge.events.Person;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerPlannerTest {

    private static final String REPO = "bitbucket-cloud:bitbucket.org/game/engine";
    private static final String OLD = "0".repeat(40);
    private static final String HEAD = "c".repeat(40);
    private static final String MIDDLE = "b".repeat(40);

    private final TriggerPlanner planner = new TriggerPlanner(List.of(
            new Rule("bitbucket-cloud:bitbucket.org/game/*", "release/*", "ci", "ReleaseBuild", Optional.empty(),
                    Map.of(), Optional.empty(), false),
            new Rule("bitbucket-cloud:bitbucket.org/game/*", "**", "ci", "GameBuild", Optional.of("ci-default"),
                    Map.of("PLATFORM", "linux", "CONFIG", "debug"), Optional.of(List.of("Folder/**", "Tools")), true)));

    @Test
    void eachDistinctJobOnceForTheHeadCommitWithOurParametersAfterConfiguredAndInlineOnes() {
        List<PlannedTrigger> planned = planner.plan(REPO, branch("main",
                commit(HEAD, "GAME-2 more #jenkins:GameBuild(PLATFORM=win64) #ci"),
                commit(MIDDLE, "GAME-1 sprites #jenkins:GameBuild #build\n\nRefs GAME-2")));
        assertEquals(List.of("GameBuild", "ci-default"), planned.stream().map(PlannedTrigger::job).toList());
        PlannedTrigger game = planned.get(0);
        assertNull(game.refusal());
        assertEquals("ci", game.instance());
        assertEquals(HEAD, game.headCommit());
        assertEquals(Map.of("PLATFORM", "win64", "CONFIG", "debug", TriggerPlanner.REPOSITORY, REPO, TriggerPlanner.BRANCH, "main",
                TriggerPlanner.COMMIT, HEAD, TriggerPlanner.TRIGGERED_BY, HEAD + " #jenkins:GameBuild(PLATFORM=win64)",
                TriggerPlanner.TASK_KEYS, "GAME-2,GAME-1"), game.parameters());
    }

    @Test
    void aCommitMessageCannotOverrideWhatIsBuilt() {
        PlannedTrigger planned = planner.plan(REPO, branch("main", commit(HEAD, "#jenkins:GameBuild(COMMIT=deadbeef,BRANCH=prod)"))).get(0);
        assertEquals(HEAD, planned.parameters().get(TriggerPlanner.COMMIT));
        assertEquals("main", planned.parameters().get(TriggerPlanner.BRANCH));
    }

    @Test
    void jobsOutsideTheAllowListAreRefused() {
        List<PlannedTrigger> planned = planner.plan(REPO, branch("main",
                commit(HEAD, "#jenkins:Folder/Sub/Job #jenkins:DeployProd #jenkins:Tools #jenkins:tools")));
        assertEquals(List.of("Folder/Sub/Job", "DeployProd", "Tools", "tools"), planned.stream().map(PlannedTrigger::job).toList());
        assertEquals(List.of(false, true, false, true), planned.stream().map(PlannedTrigger::refused).toList());
        assertTrue(planned.get(1).refusal().contains("allow-list"), planned.get(1).refusal());
    }

    @Test
    void theFirstMatchingRuleDecidesAndUncoveredRepositoriesAreRefused() {
        assertEquals("ReleaseBuild", planner.plan(REPO, branch("release/1.2", commit(HEAD, "#ci"))).get(0).job());
        PlannedTrigger other = planner.plan("bitbucket-cloud:bitbucket.org/web/site", branch("main", commit(HEAD, "#ci"))).get(0);
        assertTrue(other.refused());
        assertTrue(other.refusal().startsWith("no build rule covers"), other.refusal());
    }

    @Test
    void skipCiOnTheHeadSuppressesDefaultBuildsOnly() {
        assertEquals(List.of("Tools"), planner.plan(REPO, branch("main",
                commit(HEAD, "docs [skip ci]"), commit(MIDDLE, "#ci #jenkins #jenkins:Tools"))).stream().map(PlannedTrigger::job).toList());
        assertEquals(List.of("ci-default"), planner.plan(REPO, branch("main",
                commit(HEAD, "docs"), commit(MIDDLE, "#ci [skip ci]"))).stream().map(PlannedTrigger::job).toList());
    }

    @Test
    void deletionsNeverAndTagPushesOnlyWhereConfigured() {
        RefChange deletion = new RefChange(RefType.BRANCH, "main", HEAD, null, false, true, false, List.of(), false, true);
        assertEquals(List.of(), planner.plan(REPO, deletion));
        RefChange releaseTag = new RefChange(RefType.TAG, "release/v1", OLD, HEAD, true, false, false,
                List.of(commit(HEAD, "#ci")), false, true);
        assertEquals(List.of(), planner.plan(REPO, releaseTag), "the release/* rule does not build tags");
        RefChange tag = new RefChange(RefType.TAG, "v1", OLD, HEAD, true, false, false, List.of(commit(HEAD, "#ci")), false, true);
        assertEquals(List.of("ci-default"), planner.plan(REPO, tag).stream().map(PlannedTrigger::job).toList());
    }

    @Test
    void mergeCommitsCountOnlyTheirOwnLines() {
        Commit merge = new Commit(HEAD, "Merge pull request #3\n\n* commit 'abcdef12':\n  GAME-9 #jenkins:Tools", Person.unknown(),
                null, List.of(OLD, MIDDLE), List.of());
        assertEquals(List.of(), planner.plan(REPO, branch("main", merge)));
    }

    private static RefChange branch(String name, Commit... commits) {
        return new RefChange(RefType.BRANCH, name, OLD, commits[0].hash(), false, false, false, List.of(commits), false, true);
    }

    private static Commit commit(String hash, String message) {
        return new Commit(hash, message, Person.unknown(), null, List.of(OLD), List.of());
    }

    private record Rule(String repository, String branch, String instance, String defaultJob, Optional<String> buildJob,
                        Map<String, String> parameters, Optional<List<String>> allowedJobs, boolean tagPushes)
            implements TriggerConfig.Rule {
    }
}
