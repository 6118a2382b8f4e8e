package io.bitbridge.buildtrigger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitbridge.buildtrigger.service.TriggerTag.Kind;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagParserTest {

    static Stream<Arguments> tags() {
        return Stream.of(
                Arguments.of("GAME-456: New character animations #ci", tag(Kind.DEFAULT_BUILD, "#ci", null, Map.of())),
                Arguments.of("#build", tag(Kind.DEFAULT_BUILD, "#build", null, Map.of())),
                Arguments.of("Fix crash #CI", tag(Kind.DEFAULT_BUILD, "#CI", null, Map.of())),
                Arguments.of("Fix crash (#Build)", tag(Kind.DEFAULT_BUILD, "#Build", null, Map.of())),
                Arguments.of("Ready for #ci.", tag(Kind.DEFAULT_BUILD, "#ci", null, Map.of())),
                Arguments.of("Tweak\tshader,#jenkins", tag(Kind.DEFAULT_JOB, "#jenkins", null, Map.of())),
                Arguments.of("#jenkins:GameBuild", tag(Kind.NAMED_JOB, "#jenkins:GameBuild", "GameBuild", Map.of())),
                Arguments.of("#JENKINS:GameBuild", tag(Kind.NAMED_JOB, "#JENKINS:GameBuild", "GameBuild", Map.of())),
                Arguments.of("see #jenkins:Folder/Sub/Job now",
                        tag(Kind.NAMED_JOB, "#jenkins:Folder/Sub/Job", "Folder/Sub/Job", Map.of())),
                Arguments.of("#jenkins:game-build_2.x.", tag(Kind.NAMED_JOB, "#jenkins:game-build_2.x", "game-build_2.x", Map.of())),
                Arguments.of("#jenkins:GameBuild(PLATFORM=win64,CONFIG=release)",
                        tag(Kind.NAMED_JOB, "#jenkins:GameBuild(PLATFORM=win64,CONFIG=release)", "GameBuild",
                                Map.of("PLATFORM", "win64", "CONFIG", "release"))),
                Arguments.of("#jenkins:GameBuild( PLATFORM = win64 , CONFIG=release build )",
                        tag(Kind.NAMED_JOB, "#jenkins:GameBuild( PLATFORM = win64 , CONFIG=release build )", "GameBuild",
                                Map.of("PLATFORM", "win64", "CONFIG", "release build"))),
                Arguments.of("#jenkins:GameBuild()", tag(Kind.NAMED_JOB, "#jenkins:GameBuild()", "GameBuild", Map.of())));
    }

    @ParameterizedTest
    @MethodSource("tags")
    void recognisesTheTag(String message, TriggerTag expected) {
        assertEquals(List.of(expected), TagParser.parse(message, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "#circle", "issue#ci5", "issue#ci", "#ci5", "#builder", "#jenkinsfile", "#jenkins-job", "x#jenkins:GameBuild",
            "http://example.com/#ci", "#ci:GameBuild", "#build:GameBuild", "#jenkins:", "Run #ci: please", "#jenkins:GameBuild(",
            "#jenkins:GameBuild(PLATFORM=win64", "#jenkins:GameBuild(PLATFORM)", "#jenkins:GameBuild(=x)",
            "#jenkins:GameBuild(A=1)x", "#jenkins:/Job", "#jenkins:Folder//Job", "##ci", "ci", "#c i", "#ci.5",
            "> #ci quoted", "   > #jenkins:GameBuild quoted with indent", ""})
    void ignoresWhatIsNotATag(String message) {
        assertEquals(List.of(), TagParser.parse(message, false), message);
    }

    @Test
    void findsEveryTagInOrderAcrossLines() {
        List<TriggerTag> tags = TagParser.parse("GAME-1: sprites #ci\n\n> #build (quoted)\nalso #jenkins:Folder/Sub/Job and #jenkins", false);
        assertEquals(List.of("#ci", "#jenkins:Folder/Sub/Job", "#jenkins"), tags.stream().map(TriggerTag::text).toList());
    }

    @Test
    void mergeCommitsIgnoreTheMessagesTheyQuote() {
        String merge = """
                Merge pull request #12 in GAME/engine from feature/anim to main #jenkins:GameBuild

                * commit '0a1b2c3d':
                  GAME-456: New character animations #ci
                    #build
                """;
        assertEquals(List.of("#jenkins:GameBuild"), TagParser.parse(merge, true).stream().map(TriggerTag::text).toList());
        assertEquals(3, TagParser.parse(merge, false).size(), "an ordinary commit keeps indented lines");
    }

    @Test
    void skipCiInEitherOrderAndCase() {
        assertTrue(TagParser.skipsDefaultBuilds("Docs only [skip ci]"));
        assertTrue(TagParser.skipsDefaultBuilds("[CI SKIP] docs"));
        assertFalse(TagParser.skipsDefaultBuilds("skip ci"));
        assertFalse(TagParser.skipsDefaultBuilds("[skip-ci]"));
        assertFalse(TagParser.skipsDefaultBuilds(null));
    }

    private static TriggerTag tag(Kind kind, String text, String job, Map<String, String> parameters) {
        return new TriggerTag(kind, text, job, parameters);
    }
}
