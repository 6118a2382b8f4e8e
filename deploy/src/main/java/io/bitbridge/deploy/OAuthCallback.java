package io.bitbridge.deploy;

import java.util.Map;

/**
 * Where Bitbucket sends the browser back after its consent page. Bitbucket's OAuth consumer must name exactly this
 * callback: credential-service serves {@code /oauth/**}, the webhook gateway does not. Locally the browser reaches
 * credential-service directly; on Kubernetes one public host routes {@code /oauth/} to it (deploy/kubernetes).
 */
final class OAuthCallback {
    static final String PATH = "/oauth/bitbucket-cloud/callback";
    /** credential-service's setting for its own public URL, in environment form. */
    static final String VARIABLE = "BITBRIDGE_CREDENTIALS_OAUTH_PUBLIC_URL";

    private OAuthCallback() {
    }

    /** credential-service on this machine, by the name the sandbox's OAuth consumer registers ({@code http://localhost}). */
    static String localPublicUrl() {
        ServiceSpec credentials = ServiceSpec.ALL.stream().filter(s -> s.name().equals("credential-service")).findFirst()
                .orElseThrow(() -> new IllegalStateException("services.tsv lists no credential-service"));
        return "http://localhost:" + credentials.port();
    }

    /** The public URL credential-service is given: the one already in {@code environment}, else {@link #localPublicUrl()}. */
    static String publicUrl(Map<String, String> environment) {
        String configured = environment.get(VARIABLE);
        return configured == null || configured.isBlank() ? localPublicUrl() : configured;
    }

    static String url(Map<String, String> environment) {
        String base = publicUrl(environment);
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH;
    }
}
