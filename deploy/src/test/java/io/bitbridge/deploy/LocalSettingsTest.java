package io.bitbridge.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalSettingsTest {
    private static final Map<String, String> COMPLETE = Map.of(
            "BITBRIDGE_PUBLIC_BASE_URL", "https://bitbridge.example.com",
            "BITBRIDGE_JENKINS_URL", "https://jenkins.example.com",
            "BITBRIDGE_JENKINS_USER", "bitbridge",
            "BITBRIDGE_JENKINS_TOKEN", "11aa22bb",
            "BITBRIDGE_JENKINS_DEFAULT_JOB", "ci");

    @Test
    void theFileFillsInWhatTheEnvironmentLeavesOutAndTheEnvironmentWins(@TempDir Path root) throws Exception {
        Path file = root.resolve(LocalSettings.FILE);
        Files.writeString(file, """
                BITBRIDGE_PUBLIC_BASE_URL=https://from-file.example.com
                BITBRIDGE_JENKINS_URL=https://jenkins.example.com
                BITBRIDGE_JENKINS_USER=bitbridge
                BITBRIDGE_JENKINS_DEFAULT_JOB=ci
                BITBRIDGE_JENKINS_ALLOWED_JOBS=Game*,Tools/**
                """);
        LocalSettings settings = LocalSettings.read(Map.of("BITBRIDGE_JENKINS_TOKEN", "11aa22bb",
                "BITBRIDGE_PUBLIC_BASE_URL", "https://from-env.example.com"), file);

        assertEquals("https://from-env.example.com", settings.environment().get("BITBRIDGE_PUBLIC_BASE_URL"));
        assertTrue(settings.oauth().isEmpty());
        Properties trigger = settings.buildTriggerConfig();
        assertEquals("https://jenkins.example.com", trigger.getProperty("bitbridge.build-trigger.instances.jenkins.url"));
        assertEquals("11aa22bb", trigger.getProperty("bitbridge.build-trigger.instances.jenkins.api-token"));
        assertEquals("ci", trigger.getProperty("bitbridge.build-trigger.rules[0].default-job"));
        assertEquals("Game*,Tools/**", trigger.getProperty("bitbridge.build-trigger.rules[0].allowed-jobs"));
        assertFalse(settings.toString().contains("11aa22bb"), "the token stays out of toString: " + settings);
    }

    @Test
    void everyMissingOrMalformedSettingIsOneLine(@TempDir Path root) {
        LaunchException e = assertThrows(LaunchException.class, () -> LocalSettings.read(Map.of(
                "BITBRIDGE_PUBLIC_BASE_URL", "bitbridge.example.com",
                "BITBRIDGE_JENKINS_USER", "bitbridge",
                "BITBUCKET_OAUTH_CLIENT_ID", "key"), root.resolve(LocalSettings.FILE)));

        List<String> lines = e.getMessage().lines().toList();
        assertEquals("BITBRIDGE_PUBLIC_BASE_URL is not an http(s) URL: 'bitbridge.example.com' (the URL where Bitbucket reaches "
                + "webhook-gateway, e.g. https://bitbridge.example.com)", lines.get(0));
        assertEquals(List.of("BITBRIDGE_JENKINS_URL", "BITBRIDGE_JENKINS_TOKEN", "BITBRIDGE_JENKINS_DEFAULT_JOB", "BITBUCKET_OAUTH_CLIENT_SECRET"),
                lines.stream().filter(l -> l.startsWith("bitbridge: missing ")).map(l -> l.substring(19, l.indexOf(':', 19))).toList());
        assertEquals(6, lines.size(), e.getMessage());
    }

    @Test
    void completeSettingsNeedNoFile(@TempDir Path root) {
        LocalSettings settings = LocalSettings.read(COMPLETE, root.resolve(LocalSettings.FILE));
        assertEquals("https://bitbridge.example.com", settings.publicBaseUrl());
        assertEquals(null, settings.buildTriggerConfig().getProperty("bitbridge.build-trigger.rules[0].allowed-jobs"));
    }

    @Test
    void theSandboxPointsTheServicesAtTheFakes() {
        LocalSettings sandbox = Sandbox.settings("http://127.0.0.1:8090", "http://127.0.0.1:8089", "http://127.0.0.1:8080");
        Map<String, String> environment = sandbox.environment();
        assertEquals("http://127.0.0.1:8090/site/oauth2/access_token", environment.get("BITBRIDGE_CREDENTIALS_CLOUD_OAUTH_TOKEN_URL"));
        assertEquals("sandbox-key", environment.get("BITBUCKET_OAUTH_CLIENT_ID"));
        assertEquals("http://127.0.0.1:8089", sandbox.buildTriggerConfig().getProperty("bitbridge.build-trigger.instances.jenkins.url"));
        assertEquals("**", sandbox.buildTriggerConfig().getProperty("bitbridge.build-trigger.rules[0].allowed-jobs"));
    }
}
