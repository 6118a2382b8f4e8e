package io.bitbridge.buildtrigger.support;

import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.jenkins.JenkinsModel.Permission;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Jenkins fake for one test class, reachable as two instances: {@code ci} (API token, no crumb) and {@code pw}
 * (password, crumb); rules send repository {@code game/engine} to {@code ci} and {@code game/pw} to {@code pw}.
 */
public class JenkinsFakeResource implements QuarkusTestResourceLifecycleManager {
    public static final String ENGINE = "bitbucket-cloud:bitbucket.org/game/engine";
    public static final String PASSWORD_REPO = "bitbucket-cloud:bitbucket.org/game/pw";
    public static final String USER = "bitbridge";
    private static final String TOKEN = "11aa22bb33cc44dd55ee66ff77889900aa";
    private static final String PASSWORD = "correct horse battery staple";
    /** Jenkins' quiet period for the tests' triggers; the service polls queue items and builds as often. */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(50);

    private static volatile JenkinsFake jenkins;

    @Override
    public Map<String, String> start() {
        jenkins = JenkinsFake.start();
        jenkins.model().addUser(USER, PASSWORD, TOKEN, EnumSet.allOf(Permission.class));
        jenkins.model().quietPeriod(QUIET_PERIOD);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : new String[] {"BITBUCKET_REPOSITORY", "BRANCH", "COMMIT", "TRIGGERED_BY", "TASK_KEYS", "PLATFORM", "CONFIG"}) {
            parameters.put(name, "");
        }
        jenkins.model().addJob("GameBuild", parameters);
        jenkins.model().addJob("ci-default", parameters);
        jenkins.model().addJob("Folder/Sub/Job", Map.of());
        // Declares BRANCH and COMMIT only: Jenkins drops every other parameter sent, TRIGGERED_BY too.
        jenkins.model().addJob("Folder/Narrow", new java.util.LinkedHashMap<>(Map.of("BRANCH", "main", "COMMIT", "")));

        Map<String, String> config = new HashMap<>();
        config.put("bitbridge.build-trigger.instances.ci.url", jenkins.baseUrl());
        config.put("bitbridge.build-trigger.instances.ci.user", USER);
        config.put("bitbridge.build-trigger.instances.ci.api-token", TOKEN);
        config.put("bitbridge.build-trigger.instances.pw.url", jenkins.baseUrl());
        config.put("bitbridge.build-trigger.instances.pw.user", USER);
        config.put("bitbridge.build-trigger.instances.pw.password", PASSWORD);
        config.put("bitbridge.build-trigger.rules[0].repository", PASSWORD_REPO);
        config.put("bitbridge.build-trigger.rules[0].instance", "pw");
        config.put("bitbridge.build-trigger.rules[0].default-job", "GameBuild");
        config.put("bitbridge.build-trigger.rules[1].repository", "bitbucket-cloud:bitbucket.org/game/*");
        config.put("bitbridge.build-trigger.rules[1].branch", "**");
        config.put("bitbridge.build-trigger.rules[1].instance", "ci");
        config.put("bitbridge.build-trigger.rules[1].default-job", "GameBuild");
        config.put("bitbridge.build-trigger.rules[1].build-job", "ci-default");
        config.put("bitbridge.build-trigger.rules[1].parameters.CONFIG", "debug");
        config.put("bitbridge.build-trigger.rules[1].allowed-jobs", "Folder/**,Missing");
        config.put("bitbridge.build-trigger.jenkins.queue-poll-interval", QUIET_PERIOD.toMillis() + "ms");
        config.put("bitbridge.build-trigger.jenkins.build-poll-interval", QUIET_PERIOD.toMillis() + "ms");
        config.put("bitbridge.build-trigger.jenkins.initial-backoff", "50ms");
        // Short, so a trigger whose answer is lost is tried again within a test's wait.
        config.put("bitbridge.build-trigger.jenkins.attempt-timeout", "3s");
        config.put("bitbridge.build-trigger.jenkins.max-backoff", "200ms");
        return config;
    }

    @Override
    public void stop() {
        if (jenkins != null) {
            jenkins.close();
        }
    }

    public static JenkinsFake jenkins() {
        return jenkins;
    }
}
