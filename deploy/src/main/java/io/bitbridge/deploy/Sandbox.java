package io.bitbridge.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./bitbridge up --sandbox}: a simulation. The Bitbucket Cloud, Bitbucket Server and Jenkins fakes of
 * libs/fakes stand in for the real products on fixed ports, and the services are pointed at them.
 * Without {@code --sandbox} the services use the configured real URLs.
 */
final class Sandbox {
    static final String CLOUD = "http://127.0.0.1:8090";
    static final String SERVER = "http://127.0.0.1:7990";
    static final String JENKINS = "http://127.0.0.1:8089";

    static final Map<Integer, String> PORTS = Map.of(8090, "Bitbucket Cloud fake", 7990, "Bitbucket Server fake", 8089, "Jenkins fake");

    /** How the services find the fakes (environment form of their configuration keys). */
    static final Map<String, String> ENVIRONMENT = environment();

    private Sandbox() {
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BITBRIDGE_SANDBOX", "true");
        env.put("BITBRIDGE_CREDENTIALS_CLOUD_OAUTH_AUTHORIZE_URL", CLOUD + "/site/oauth2/authorize");
        env.put("BITBRIDGE_CREDENTIALS_CLOUD_OAUTH_TOKEN_URL", CLOUD + "/site/oauth2/access_token");
        env.put("BITBRIDGE_CREDENTIALS_CLOUD_OAUTH_API_BASE_URL", CLOUD);
        env.put("BITBUCKET_OAUTH_CLIENT_ID", "sandbox-key");
        env.put("BITBUCKET_OAUTH_CLIENT_SECRET", "sandbox-secret");
        // the fakes listen on loopback over plain http: allowed here only (credential-service refuses both by default)
        env.put("BITBRIDGE_OUTBOUND_HTTP_ALLOWED_HOSTS", "127.0.0.1,localhost");
        env.put("BITBRIDGE_OUTBOUND_PRIVATE_ALLOWED_HOSTS", "127.0.0.1,localhost");
        env.put("BITBRIDGE_JENKINS_DEFAULT_URL", JENKINS);
        env.put("BITBRIDGE_JENKINS_DEFAULT_USER", "sandbox");
        env.put("BITBRIDGE_JENKINS_DEFAULT_TOKEN", "sandbox-jenkins-token");
        env.put("BITBRIDGE_JENKINS_DEFAULT_JOB", "ci-default");
        return env;
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
