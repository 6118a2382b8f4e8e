package io.bitbridge.credentialapi;

/**
 * credential-service's internal API, for services holding a bearer token with the {@code service} role. Bodies are
 * JSON with ISO-8601 instants ({@link io.bitbridge.events.EventJson}); readers ignore fields they do not know, so
 * credential-service may add a field without breaking an older caller.
 * <ul>
 *   <li>{@code GET  {ROOT}/{id}/webhook-secrets} → {@link WebhookSecrets}; 404 for an unknown credential.</li>
 *   <li>{@code POST {ROOT}/{id}/authorization} → {@link Authorization} (an OAuth token is refreshed first when due);
 *       404 unknown, 409 when the credential needs reconnecting.</li>
 * </ul>
 */
public final class InternalCredentialApi {
    public static final String ROOT = "/internal/credentials";
    public static final String WEBHOOK_SECRETS = "/{id}/webhook-secrets";
    public static final String AUTHORIZATION = "/{id}/authorization";

    private InternalCredentialApi() {
    }
}
