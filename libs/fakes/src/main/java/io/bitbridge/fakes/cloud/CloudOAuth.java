package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.FormData;
import io.bitbridge.fakes.cloud.CloudModel.AccessToken;
import io.bitbridge.fakes.cloud.CloudModel.AuthorizationCode;
import io.bitbridge.fakes.cloud.CloudModel.OAuthConsumer;
import io.bitbridge.fakes.cloud.CloudModel.RefreshToken;
import io.bitbridge.fakes.cloud.CloudModel.User;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /site/oauth2/authorize} and {@code /site/oauth2/access_token} (docs/bitbucket-api-notes.md §3). Consent is
 * simulated: the authorize call redirects at once, as the consenting user (default: the consumer's owner)
 * clicking Allow, or Deny when the fake's consent switch says so. PKCE as RFC 7636 specifies it: a {@code code_challenge}
 * given at authorize binds the code to the {@code code_verifier} that must come with the token request.
 */
final class CloudOAuth {
    /** RFC 7636 §4.1 and §4.2: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
    private static final Pattern PKCE_VALUE = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    private final CloudState state;

    CloudOAuth(CloudState state) {
        this.state = state;
    }

    FakeResponse handle(FakeRequest request) {
        String endpoint = request.segments().size() == 3 ? request.segments().get(2) : "";
        return switch (endpoint) {
            case "authorize" -> request.method().equals("GET") ? authorize(request)
                    : FakeResponse.text(405, "GET only");
            case "access_token" -> request.method().equals("POST") ? token(request)
                    : oauthError(405, "invalid_request", "The token endpoint takes POST.");
            default -> FakeResponse.text(404, "Not found");
        };
    }

    private FakeResponse authorize(FakeRequest request) {
        OAuthConsumer consumer = state.consumers.get(request.query("client_id"));
        if (consumer == null) {
            return oauthError(400, "invalid_client", "Invalid client_id");
        }
        if (!"code".equals(request.query("response_type"))) {
            return oauthError(400, "unsupported_response_type", "response_type must be code");
        }
        String redirect = request.query("redirect_uri");
        if (consumer.callbackUrl() == null || consumer.callbackUrl().isBlank()) {
            return oauthError(400, "invalid_request", "No callback uri defined for the OAuth client.");
        }
        if (redirect == null) {
            redirect = consumer.callbackUrl();
        } else if (!redirect.startsWith(consumer.callbackUrl())) {
            return oauthError(400, "invalid_request", "redirect_uri does not match the consumer's callback URL.");
        }
        String stateParameter = request.query("state");
        StringBuilder location = new StringBuilder(redirect).append(redirect.contains("?") ? '&' : '?');
        String challenge = request.query("code_challenge");
        // RFC 7636 §4.3: the method defaults to "plain"; §4.4.1: an unsupported one or a malformed challenge is invalid_request
        String method = challenge == null ? null : Optional.ofNullable(request.query("code_challenge_method")).orElse("plain");
        if (challenge != null && (!PKCE_VALUE.matcher(challenge).matches() || !(method.equals("S256") || method.equals("plain")))) {
            location.append("error=invalid_request&error_description=").append(encode("Invalid code_challenge or code_challenge_method."));
        } else if (state.consentDenied) {
            location.append("error=access_denied&error_description=")
                    .append(encode("The user denied the authorization request."));
        } else {
            User user = state.consentingUser != null ? state.consentingUser : consumer.owner();
            String code = CloudState.randomToken(12);
            state.codes.put(code, new AuthorizationCode(code, consumer, user, request.query("redirect_uri"), challenge, method));
            location.append("code=").append(code);
        }
        if (stateParameter != null) {
            location.append("&state=").append(encode(stateParameter));
        }
        return FakeResponse.empty(302).header("Location", location.toString());
    }

    private FakeResponse token(FakeRequest request) {
        Optional<String[]> basic = request.basicCredentials();
        if (basic.isEmpty()) {
            // Bearer (or nothing) at the token endpoint fails: clients authenticate with Basic key:secret.
            return oauthError(400, "unauthorized_client", "Requests must be authenticated using OAuth client credentials");
        }
        OAuthConsumer consumer = state.consumers.get(basic.get()[0]);
        if (consumer == null || !consumer.secret().equals(basic.get()[1])) {
            return oauthError(401, "invalid_client", "Invalid OAuth client credentials");
        }
        FormData form;
        try {
            form = FormData.parse(request.contentType().isEmpty() ? "application/x-www-form-urlencoded"
                    : request.contentType(), request.body());
        } catch (IllegalArgumentException e) {
            return oauthError(400, "invalid_request", "The body must be form-encoded.");
        }
        String grant = form.first("grant_type");
        if (grant == null) {
            return oauthError(400, "invalid_request", "grant_type is required");
        }
        return switch (grant) {
            case "authorization_code" -> authorizationCode(consumer, form);
            case "refresh_token" -> refresh(consumer, form);
            case "client_credentials" -> clientCredentials(consumer);
            default -> oauthError(400, "unsupported_grant_type", "Unsupported grant type: " + grant);
        };
    }

    private FakeResponse authorizationCode(OAuthConsumer consumer, FormData form) {
        AuthorizationCode code = state.codes.remove(String.valueOf(form.first("code")));
        if (code == null || code.consumer() != consumer) {
            return oauthError(400, "invalid_grant", "The authorization code is invalid or has expired.");
        }
        String redirect = form.first("redirect_uri");
        if (code.redirectUri() != null && !code.redirectUri().equals(redirect)) {
            return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request.");
        }
        if (code.codeChallenge() != null && !verifies(form.first("code_verifier"), code)) {
            // RFC 7636 §4.6: a missing or wrong verifier is invalid_grant
            return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge.");
        }
        return issue(consumer, code.user(), "authorization_code");
    }

    /** Rotating: the used refresh token stops working; a bad or used one is {@code invalid_grant}. */
    private FakeResponse refresh(OAuthConsumer consumer, FormData form) {
        String presented = form.first("refresh_token");
        RefreshToken token = presented == null ? null : state.refreshTokens.get(presented);
        if (token == null || token.consumer() != consumer) {
            return oauthError(400, "invalid_grant", "Invalid refresh_token");
        }
        state.refreshTokens.remove(presented);
        return issue(consumer, token.user(), "refresh_token");
    }

    private FakeResponse clientCredentials(OAuthConsumer consumer) {
        if (!consumer.privateConsumer()) {
            return oauthError(400, "unauthorized_client",
                    "Client credentials grant is only available to private consumers.");
        }
        return issue(consumer, consumer.owner(), "client_credentials");
    }

    private FakeResponse issue(OAuthConsumer consumer, User user, String grant) {
        AccessToken access = state.issueAccessToken(consumer, user);
        RefreshToken refresh = state.issueRefreshToken(consumer, user);
        ObjectNode body = FakeJson.object().put("access_token", access.token())
                .put("scopes", String.join(" ", consumer.scopes()))
                .put("expires_in", state.accessTokenLifetime.toSeconds())
                .put("refresh_token", refresh.token())
                .put("token_type", "bearer")
                .put("state", grant);
        return FakeResponse.json(200, body).header("Cache-Control", "no-store");
    }

    /** RFC 7636 §4.6: S256 compares BASE64URL(SHA256(ASCII(code_verifier))) with the challenge, plain compares them as they are. */
    private static boolean verifies(String verifier, AuthorizationCode code) {
        if (verifier == null || !PKCE_VALUE.matcher(verifier).matches()) {
            return false;
        }
        String expected = code.codeChallengeMethod().equals("S256") ? s256(verifier) : verifier;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), code.codeChallenge().getBytes(StandardCharsets.US_ASCII));
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FakeResponse oauthError(int status, String error, String description) {
        return FakeResponse.json(status, FakeJson.object().put("error", error).put("error_description", description));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
