package io.bitbridge.deploy;

import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.jenkins.JenkinsFake;

import java.util.Map;
import java.util.Optional;

/**
 * {@code ./bitbridge up --sandbox}: a simulation. The Bitbucket Cloud, Bitbucket Server and Jenkins fakes of
 * libs/fakes stand in for the real products on fixed ports, and the services are pointed at them.
 * Without {@code --sandbox} the services use the configured real URLs.
 */
public final class Sandbox {
    static final String CLOUD = "http://127.0.0.1:8090";
    static final String SERVER = "http://127.0.0.1:7990";
    static final String JENKINS = "http://127.0.0.1:8089";

    static final Map<Integer, String> PORTS = Map.of(8090, "Bitbucket Cloud fake", 7990, "Bitbucket Server fake", 8089, "Jenkins fake");

    private Sandbox() {
    }

    /**
     * How the services find the fakes at these addresses: Bitbucket Cloud's OAuth endpoints and the sandbox Jenkins
     * (its jobs: any of them may be named in a {@code #jenkins:Job} tag).
     */
    public static LocalSettings settings(String cloudUrl, String jenkinsUrl, String publicBaseUrl) {
        return new LocalSettings(publicBaseUrl,
                Optional.of(new LocalSettings.OAuthConsumer(BitbucketCloudFake.SANDBOX_CONSUMER_KEY, BitbucketCloudFake.SANDBOX_CONSUMER_SECRET)),
                Optional.of(cloudUrl),
                new LocalSettings.Jenkins(jenkinsUrl, JenkinsFake.SANDBOX_USER, JenkinsFake.SANDBOX_TOKEN, "ci-default", "**"), true);
    }

    static String facts() {
        return """
                SANDBOX (a simulation: fakes stand in for Bitbucket and Jenkins)
                  Bitbucket Cloud fake   %s  (API /2.0, OAuth /site/oauth2) user sandbox@example.com, API token sandbox-token,
                                         OAuth consumer sandbox-key/sandbox-secret; acme/game, acme/infra, tools/scripts
                  Bitbucket Server fake  %s  (REST /rest/api/1.0, git /scm) user sandbox, token sandbox-server-token; OPS/platform
                  Jenkins fake           %s  user sandbox, API token sandbox-jenkins-token; jobs GameBuild, ci-default, Folder/Sub/Job
                  Inspect each fake under /_sandbox/ (requests, hooks, deliveries, triggers).""".formatted(CLOUD, SERVER, JENKINS);
    }
}
