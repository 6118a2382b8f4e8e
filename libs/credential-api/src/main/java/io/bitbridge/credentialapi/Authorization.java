package io.bitbridge.credentialapi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.Provider;

import java.time.Instant;

/**
 * A ready way to call Bitbucket as a credential: the {@code Authorization} header value (valid until {@code expiresAt},
 * null when it does not expire), the API base URL to call, what git over HTTPS needs, and the TLS trust for that host
 * ({@code caBundle} adds a private CA; {@code insecureTls} turns verification off).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Authorization(String authorization, Instant expiresAt, String apiBaseUrl, String gitUsername, String gitPassword,
                            String caBundle, boolean insecureTls, CredentialKind kind, Provider provider) {
    @Override
    public String toString() {
        // never the header value or the git password
        return "Authorization[" + kind + ", " + apiBaseUrl + "]";
    }
}
