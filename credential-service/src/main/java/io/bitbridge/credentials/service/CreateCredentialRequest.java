package io.bitbridge.credentials.service;

import io.bitbridge.events.CredentialKind;

/**
 * The body of {@code POST /api/credentials}. Which fields apply depends on {@code kind}: {@code email}+{@code token}
 * (API token), {@code token} (access token), {@code username}+{@code password} (app password),
 * {@code baseUrl}+{@code token} [+{@code username}] (Server). Cloud kinds may override {@code apiBaseUrl}.
 */
public record CreateCredentialRequest(
        CredentialKind kind,
        String name,
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
