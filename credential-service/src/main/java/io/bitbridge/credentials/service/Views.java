package io.bitbridge.credentials.service;

import io.bitbridge.credentials.client.BitbucketGuards;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.bitbridge.credentials.repository.Credential;
import io.bitbridge.events.CredentialKind;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns stored credentials into {@link CredentialView}s and knows each credential's webhook URL. */
@ApplicationScoped
public class Views {
    private final String publicBaseUrl;
    private final BitbucketGuards breakers;

    Views(CredentialsConfig config, BitbucketGuards breakers) {
        this.breakers = breakers;
        String base = config.publicBaseUrl();
        this.publicBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String webhookUrl(Credential credential) {
        return publicBaseUrl + Kinds.webhookPath(credential.kind) + "/" + credential.id;
    }

    public String publicBaseUrl() {
        return publicBaseUrl;
    }

    public CredentialView of(Credential c) {
        List<String> warnings = new ArrayList<>();
        CredentialView.Deprecation deprecation = null;
        if (c.kind == CredentialKind.BITBUCKET_CLOUD_APP_PASSWORD) {
            deprecation = new CredentialView.Deprecation(
                    "Bitbucket Cloud app passwords are deprecated and stop working on " + Kinds.APP_PASSWORD_REMOVAL + ".",
                    Kinds.APP_PASSWORD_REMOVAL, "POST /api/credentials/" + c.id + "/migrate-to-api-token");
            warnings.add(deprecation.reason() + " Migrate it to an API token.");
        }
        String endpoint = c.apiBaseUrl == null ? null : io.bitbridge.bitbucket.BitbucketEndpoint.originOf(c.apiBaseUrl);
        if (endpoint != null && breakers.state(endpoint) != CircuitBreakerState.CLOSED) {
            warnings.add("Bitbucket at " + endpoint + " kept failing: its circuit breaker is " + breakers.state(endpoint)
                    + ", requests to it are paused or on trial.");
        }
        if (c.tlsInsecure) {
            warnings.add("TLS verification is turned off for this credential: Bitbridge cannot tell the real Bitbucket from an impostor.");
        }
        List<String> scopes = c.scopes == null || c.scopes.isBlank() ? null
                : Arrays.stream(c.scopes.split("[ ,]+")).filter(s -> !s.isBlank()).toList();
        CredentialView.Account account = c.accountId == null && c.accountUsername == null ? null
                : new CredentialView.Account(c.accountId, c.accountUsername, c.accountDisplayName);
        return new CredentialView(c.id, c.kind, c.kind.provider(), c.name, c.status, c.statusReason, c.statusChangedAt,
                c.apiBaseUrl, c.username, account, scopes, c.secretHint == null ? null : "…" + c.secretHint,
                c.accessTokenExpiresAt, webhookUrl(c), c.acceptUnsignedWithToken,
                new CredentialView.TlsSettings(c.caPem != null, c.tlsInsecure),
                deprecation != null, deprecation, warnings.isEmpty() ? null : List.copyOf(warnings), c.createdAt, c.updatedAt);
    }

    /** The last four characters of a long secret; nothing for a short one, where four would be too much of it. */
    public static String hint(String secret) {
        return secret == null || secret.length() < 16 ? null : secret.substring(secret.length() - 4);
    }
}
