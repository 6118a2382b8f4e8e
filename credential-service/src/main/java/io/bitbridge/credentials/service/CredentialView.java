package io.bitbridge.credentials.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.CredentialLifecycleEvent.Status;
import io.bitbridge.events.Provider;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A credential as the API shows it: everything but its secrets (a masked hint at most). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialView(
        UUID id,
        CredentialKind kind,
        Provider provider,
        String name,
        Status status,
        String statusReason,
        Instant statusChangedAt,
        String apiBaseUrl,
        String username,
        Account account,
        List<String> scopes,
        String secretHint,
        Instant accessTokenExpiresAt,
        String webhookUrl,
        boolean acceptUnsignedWithToken,
        TlsSettings tls,
        boolean deprecated,
        Deprecation deprecation,
        List<String> warnings,
        Instant createdAt,
        Instant updatedAt) {

    public record Account(String id, String username, String displayName) {
    }

    public record TlsSettings(boolean customCa, boolean verificationDisabled) {
    }

    public record Deprecation(String reason, LocalDate removalDate, String migrateWith) {
    }
}
