package io.bitbridge.credentials.client;

import io.bitbridge.credentials.config.CredentialsConfig;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bitbucket Cloud's OAuth token endpoint through quarkus-oidc-client: a plain OAuth2 endpoint (no discovery),
 * the consumer authenticating with HTTP Basic. One client per consumer, made at run time and reused.
 */
@ApplicationScoped
public class CloudOAuthClient {
    private static final Pattern OAUTH_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]+)\"");

    private final OidcClients clients;
    private final CredentialsConfig.CloudOAuth config;
    private final Map<String, OidcClient> byConsumer = new ConcurrentHashMap<>();

    CloudOAuthClient(OidcClients clients, CredentialsConfig config) {
        this.clients = clients;
        this.config = config.cloudOauth();
    }

    /** What a token response carried. {@code refreshToken} is null when Bitbucket did not rotate it. */
    public record TokenSet(String accessToken, String refreshToken, Instant expiresAt, String scopes) {
        @Override
        public String toString() {
            return "TokenSet[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
        }
    }

    public boolean configured() {
        return config.clientId().isPresent() && config.clientSecret().isPresent();
    }

    public String clientId() {
        return config.clientId().orElseThrow();
    }

    /** The {@code authorization_code} grant, with the flow's PKCE {@code code_verifier} (RFC 7636 §4.5). */
    public Uni<TokenSet> exchangeCode(String code, String redirectUri, String codeVerifier) {
        return OnContext.resume(client().chain(c -> c.getTokens(Map.of("code", code, "redirect_uri", redirectUri,
                "code_verifier", codeVerifier))).map(CloudOAuthClient::tokenSet));
    }

    /** The {@code refresh_token} grant; Bitbucket answers with a new refresh token and soon retires the old one. */
    public Uni<TokenSet> refresh(String refreshToken) {
        return OnContext.resume(client().chain(c -> c.refreshTokens(refreshToken)).map(CloudOAuthClient::tokenSet));
    }

    /** The OAuth error code (e.g. {@code invalid_grant}) in a token-endpoint failure, or {@code fallback}. */
    public static String errorCode(Throwable failure, String fallback) {
        String message = failure.getMessage();
        if (message != null) {
            Matcher matcher = OAUTH_ERROR.matcher(message);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return fallback;
    }

    private Uni<OidcClient> client() {
        String tokenUrl = config.tokenUrl();
        String clientId = config.clientId().orElseThrow(() -> new IllegalStateException("no OAuth consumer configured"));
        String key = tokenUrl + "|" + clientId;
        OidcClient existing = byConsumer.get(key);
        if (existing != null) {
            return Uni.createFrom().item(existing);
        }
        URI uri = URI.create(tokenUrl);
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        var built = OidcClientConfig.builder()
                .id("bitbucket-cloud-" + Integer.toHexString(key.hashCode()))
                .authServerUrl(origin)
                .discoveryEnabled(false)
                .tokenPath(Optional.ofNullable(uri.getRawPath()).orElse("/"))
                .clientId(clientId)
                .credentials().clientSecret(config.clientSecret().orElseThrow(), Method.BASIC).end()
                .grant(OidcClientConfig.Grant.Type.CODE)
                .build();
        return clients.newClient(built).invoke(client -> byConsumer.putIfAbsent(key, client))
                .map(client -> byConsumer.get(key));
    }

    private static TokenSet tokenSet(Tokens tokens) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        return new TokenSet(tokens.getAccessToken(), tokens.getRefreshToken(),
                expiresAt == null ? null : Instant.ofEpochSecond(expiresAt), tokens.get("scopes"));
    }
}
