package io.bitbridge.credentials.service;

import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.Provider;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;

/** How each credential kind authenticates: on REST and for git over HTTPS. */
public final class Kinds {
    /** Bitbucket Cloud turns app passwords off for good on this day (docs/bitbucket-api-notes.md §4, revised schedule). */
    public static final LocalDate APP_PASSWORD_REMOVAL = LocalDate.of(2026, 7, 28);

    private Kinds() {
    }

    /** The {@code Authorization} header value for a REST call. */
    public static String authorization(CredentialKind kind, String username, String secret) {
        return switch (kind) {
            // API tokens and app passwords are Basic, never Bearer
            case BITBUCKET_CLOUD_API_TOKEN, BITBUCKET_CLOUD_APP_PASSWORD -> "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
            case BITBUCKET_CLOUD_OAUTH, BITBUCKET_CLOUD_ACCESS_TOKEN, BITBUCKET_SERVER_TOKEN -> "Bearer " + secret;
        };
    }

    /** The username for git over HTTPS (the secret is the password); Bitbucket documents a fixed one for tokens. */
    public static String gitUsername(CredentialKind kind, String username, String accountUsername) {
        return switch (kind) {
            case BITBUCKET_CLOUD_API_TOKEN -> "x-bitbucket-api-token-auth";
            case BITBUCKET_CLOUD_OAUTH, BITBUCKET_CLOUD_ACCESS_TOKEN -> "x-token-auth";
            case BITBUCKET_CLOUD_APP_PASSWORD -> username;
            case BITBUCKET_SERVER_TOKEN -> username != null ? username : accountUsername;
        };
    }

    /** The path segment of the credential's webhook URL. */
    public static String webhookPath(CredentialKind kind) {
        return "/webhooks/" + kind.provider().slug();
    }

    public static boolean isCloud(CredentialKind kind) {
        return kind.provider() == Provider.BITBUCKET_CLOUD;
    }
}
