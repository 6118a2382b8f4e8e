package io.bitbridge.credentials.service;

import io.bitbridge.events.CredentialKind;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/credentials}. Which fields apply depends on {@code kind}: {@code email}+{@code token}
 * (API token), {@code token} (access token), {@code username}+{@code password} (app password),
 * {@code baseUrl}+{@code token} [+{@code username}] (Server). Cloud kinds may override {@code apiBaseUrl}.
 */
public record CreateCredentialRequest(
        @NotNull(message = "is required: one of BITBUCKET_CLOUD_API_TOKEN, BITBUCKET_CLOUD_ACCESS_TOKEN, "
                + "BITBUCKET_CLOUD_APP_PASSWORD, BITBUCKET_SERVER_TOKEN") CredentialKind kind,
        @NotBlank @Size(max = CredentialService.MAX_NAME) String name,
        String apiBaseUrl,
        String baseUrl,
        String email,
        String username,
        String token,
        String password,
        String caPem,
        Boolean insecureTls) {

    @Override
    public String toString() {
        return "CreateCredentialRequest[" + kind + ", " + name + "]";
    }
}
