package io.bitbridge.tracker;

import io.bitbridge.tracker.service.TaskKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TaskKeysTest {
    private static final String REPO = "bitbucket-cloud:bitbucket.org/acme/game";

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "GAME-789 fix crash                              | GAME-789",
            "OPS2-5: rotate keys                             | OPS2-5",
            "feature/GAME-12-x                               | GAME-12",
            "bugfix/OPS2-5_retry                             | ",
            "Fixes GAME-1, GAME-2 and OPS-33.                | GAME-1,GAME-2,OPS-33",
            "(GAME-4) [GAME-5] {GAME-6} <GAME-7>             | GAME-4,GAME-5,GAME-6,GAME-7",
            "GAME-9 again GAME-9                             | GAME-9",
            "see #GAME-10 at line end\\nGAME-11             | GAME-10,GAME-11",
            "game-789 is lower case                          | ",
            "G-1 has a one-letter project                    | ",
            "2GAME-1 starts with a digit                     | ",
            "xGAME-1 glued to a word                         | ",
            "GAME-1a glued to a word                         | ",
            "X-GAME-1 part of a longer key                   | ",
            "GAME-                                           | ",
            "GAME-12.5 a version                             | ",
            "chore(CVE-2025-55190): bump argocd              | ",
            "see https://jira.acme.com/browse/GAME-44       | ",
            "see www.acme.com/GAME-45 and GAME-46           | GAME-46",
            "merge of 3f9aGAME-12e4                          | ",
            "Merge branch 'feature/GAME-12-x' into main      | GAME-12",
    })
    void findsKeysOnWordBoundariesOutsideUrlsAndHashes(String text, String expected) {
        List<String> want = expected == null ? List.of() : Arrays.asList(expected.split(","));
        assertEquals(want, TaskKeys.unrestricted().find(REPO, text.replace("\\n", "\n")));
    }

    @Test
    void theAllowListOfTheRepositoryReplacesTheGlobalOne() {
        TaskKeys keys = new TaskKeys(Set.of("GAME"), Map.of("bitbucket-server:git.acme.com/ops/infra", Set.of("OPS2")));
        String text = "GAME-1 OPS2-5 UTF-8";
        assertEquals(List.of("GAME-1"), keys.find(REPO, text));
        assertEquals(List.of("OPS2-5"), keys.find("bitbucket-server:git.acme.com/ops/infra", text));
        assertEquals(List.of("GAME-1", "OPS2-5", "UTF-8"), TaskKeys.unrestricted().find(REPO, text));
    }

    @Test
    void severalTextsGiveEachKeyOnceInOrder() {
        assertEquals(List.of("GAME-3", "GAME-1", "OPS-2"),
                TaskKeys.unrestricted().find(REPO, "GAME-3 title", null, "", "GAME-1 and GAME-3", "OPS-2"));
        assertEquals("OPS2", TaskKeys.projectOf("OPS2-5"));
    }
}
