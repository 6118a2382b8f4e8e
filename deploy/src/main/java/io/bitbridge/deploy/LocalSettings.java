package io.bitbridge.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the services need to know of the outside world: where Bitbucket reaches the gateway, the Bitbucket Cloud OAuth
 * consumer, and the Jenkins that builds. {@code ./bitbridge up} reads them from the environment or from
 * {@value #FILE} in the project root (environment first); {@code --sandbox} uses the fakes instead.
 * {@code loopbackAllowed}: credential-service may call Bitbucket over plain http on this machine (the sandbox's fakes
 * only; it refuses http and internal addresses otherwise).
 */
public record LocalSettings(String publicBaseUrl, Optional<OAuthConsumer> oauth, Optional<String> cloudOAuthBaseUrl,
                            Jenkins jenkins, boolean loopbackAllowed) {
    public static final String FILE = "bitbridge.properties";

    public record OAuthConsumer(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "OAuthConsumer[" + clientId + "]";
        }
    }

    /** One Jenkins for every repository; {@code allowedJobs} are the globs a {@code #jenkins:Job} tag may name. */
    public record Jenkins(String url, String user, String apiToken, String defaultJob, String allowedJobs) {
        @Override
        public String toString() {
            return "Jenkins[" + url + ", " + user + "]";
        }
    }

    private record Setting(String name, boolean required, boolean url, String meaning) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("BITBRIDGE_PUBLIC_BASE_URL", true, true, "the URL where Bitbucket reaches webhook-gateway, e.g. https://bitbridge.example.com"),
            new Setting("BITBRIDGE_JENKINS_URL", true, true, "the Jenkins base URL, e.g. https://jenkins.example.com"),
            new Setting("BITBRIDGE_JENKINS_USER", true, false, "the Jenkins user that starts builds"),
            new Setting("BITBRIDGE_JENKINS_TOKEN", true, false, "that user's Jenkins API token"),
            new Setting("BITBRIDGE_JENKINS_DEFAULT_JOB", true, false, "the job #ci, #build and #jenkins start, e.g. ci"),
            new Setting("BITBRIDGE_JENKINS_ALLOWED_JOBS", false, false, "comma-separated globs of the jobs #jenkins:Job may start"),
            new Setting("BITBUCKET_OAUTH_CLIENT_ID", false, false, "the Bitbucket Cloud OAuth consumer key (with its secret)"),
            new Setting("BITBUCKET_OAUTH_CLIENT_SECRET", false, false, "the Bitbucket Cloud OAuth consumer secret (with its key)"));

    /**
     * Reads the settings; every missing or malformed one is its own line of the exception's message, so a person
     * fixes them all in one go.
     */
    public static LocalSettings read(Map<String, String> environment, Path file) {
        Properties fromFile = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Setting setting : SETTINGS) {
            String value = environment.getOrDefault(setting.name, fromFile.getProperty(setting.name, "")).strip();
            if (value.isEmpty()) {
                if (setting.required) {
                    problems.add("missing " + setting.name + ": " + setting.meaning + " (environment variable or " + file.getFileName() + ")");
                }
            } else if (setting.url && !isHttpUrl(value)) {
                problems.add(setting.name + " is not an http(s) URL: '" + value + "' (" + setting.meaning + ")");
            } else {
                values.put(setting.name, value);
            }
        }
        boolean clientId = values.containsKey("BITBUCKET_OAUTH_CLIENT_ID");
        if (clientId != values.containsKey("BITBUCKET_OAUTH_CLIENT_SECRET")) {
            String missing = clientId ? "BITBUCKET_OAUTH_CLIENT_SECRET" : "BITBUCKET_OAUTH_CLIENT_ID";
            problems.add("missing " + missing + ": the OAuth consumer needs both its key and its secret (or neither: API tokens only)");
        }
        if (!problems.isEmpty()) {
            throw new LaunchException(String.join("\nbitbridge: ", problems)
                    + "\nbitbridge: (or try everything with ./bitbridge up --sandbox, which needs no settings)");
        }
        Optional<OAuthConsumer> oauth = clientId
                ? Optional.of(new OAuthConsumer(values.get("BITBUCKET_OAUTH_CLIENT_ID"), values.get("BITBUCKET_OAUTH_CLIENT_SECRET")))
                : Optional.empty();
        return new LocalSettings(values.get("BITBRIDGE_PUBLIC_BASE_URL"), oauth, Optional.empty(),
                new Jenkins(values.get("BITBRIDGE_JENKINS_URL"), values.get("BITBRIDGE_JENKINS_USER"),
                        values.get("BITBRIDGE_JENKINS_TOKEN"), values.get("BITBRIDGE_JENKINS_DEFAULT_JOB"),
                        values.getOrDefault("BITBRIDGE_JENKINS_ALLOWED_JOBS", "")), false);
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The environment every service gets (secrets go by environment, never on a command line). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BITBRIDGE_PUBLIC_BASE_URL", publicBaseUrl);
        oauth.ifPresent(consumer -> {
            env.put("BITBUCKET_OAUTH_CLIENT_ID", consumer.clientId());
            env.put("BITBUCKET_OAUTH_CLIENT_SECRET", consumer.clientSecret());
        });
        cloudOAuthBaseUrl.ifPresent(base -> {
            env.put("BITBRIDGE_CREDENTIALS_CLOUD_OAUTH_AUTHORIZE_URL", base + "/site/oauth2/authorize");
            env.put("BITBRIDGE_CREDENTIALS_CLOUD_OAUTH_TOKEN_URL", base + "/site/oauth2/access_token");
            env.put("BITBRIDGE_CREDENTIALS_CLOUD_OAUTH_API_BASE_URL", base);
        });
        if (loopbackAllowed) {
            env.put("BITBRIDGE_OUTBOUND_HTTP_ALLOWED_HOSTS", "127.0.0.1,localhost");
            env.put("BITBRIDGE_OUTBOUND_PRIVATE_ALLOWED_HOSTS", "127.0.0.1,localhost");
        }
        return env;
    }

    /**
     * build-trigger's Jenkins instance and rule ({@code bitbridge.build-trigger.*}, see build-trigger/README.md): a
     * map and a list, which environment variables cannot express, so they go in an owner-only file.
     */
    Properties buildTriggerConfig() {
        Properties config = new Properties();
        config.setProperty("bitbridge.build-trigger.instances.jenkins.url", jenkins.url());
        config.setProperty("bitbridge.build-trigger.instances.jenkins.user", jenkins.user());
        config.setProperty("bitbridge.build-trigger.instances.jenkins.api-token", jenkins.apiToken());
        config.setProperty("bitbridge.build-trigger.rules[0].repository", "**");
        config.setProperty("bitbridge.build-trigger.rules[0].branch", "**");
        config.setProperty("bitbridge.build-trigger.rules[0].instance", "jenkins");
        config.setProperty("bitbridge.build-trigger.rules[0].default-job", jenkins.defaultJob());
        if (!jenkins.allowedJobs().isBlank()) {
            config.setProperty("bitbridge.build-trigger.rules[0].allowed-jobs", jenkins.allowedJobs());
        }
        return config;
    }
}
