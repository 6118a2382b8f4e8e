package io.bitbridge.fakes.cloud;

import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.cloud.CloudModel.AccessToken;
import io.bitbridge.fakes.cloud.CloudModel.ApiToken;
import io.bitbridge.fakes.cloud.CloudModel.AppPassword;
import io.bitbridge.fakes.cloud.CloudModel.ResourceToken;
import io.bitbridge.fakes.cloud.CloudModel.User;

import java.util.Optional;

/**
 * Bitbucket Cloud's credentials (docs/bitbucket-api-notes.md §3-4): OAuth and access tokens as Bearer, user API tokens as
 * Basic {@code email:token} (never Bearer), app passwords as Basic {@code username:password} until removed.
 * Git over HTTPS takes Basic only: {@code x-token-auth:<oauth or access token>},
 * {@code x-bitbucket-api-token-auth:<api token>}, {@code <username>:<api token or app password>}.
 */
final class CloudAuthenticator {
    static final String INVALID = "Token is invalid, expired, or not supported for this endpoint.";
    static final String EXPIRED = "Access token expired. Use your refresh token to obtain a new access token.";

    private final CloudState state;

    CloudAuthenticator(CloudState state) {
        this.state = state;
    }

    /** A principal, or the 401 to answer; both null means the caller sent no credentials. */
    record Outcome(CloudPrincipal principal, FakeResponse failure) {
        static Outcome anonymous() {
            return new Outcome(null, null);
        }
    }

    Outcome api(FakeRequest request) {
        String authorization = request.header("Authorization");
        if (authorization == null) {
            return Outcome.anonymous();
        }
        Optional<String> bearer = request.bearerToken();
        if (bearer.isPresent()) {
            return bearer(bearer.get());
        }
        Optional<String[]> basic = request.basicCredentials();
        if (basic.isEmpty()) {
            return fail(INVALID);
        }
        String user = basic.get()[0];
        String secret = basic.get()[1];
        if (user.contains("@")) {
            return apiToken(state.userByEmail(user), secret);
        }
        return appPassword(user, secret);
    }

    Outcome git(FakeRequest request) {
        Optional<String[]> basic = request.basicCredentials();
        if (basic.isEmpty()) {
            return Outcome.anonymous();
        }
        String user = basic.get()[0];
        String secret = basic.get()[1];
        return switch (user) {
            case "x-token-auth" -> bearer(secret);
            case "x-bitbucket-api-token-auth" -> {
                ApiToken token = state.apiTokens.get(secret);
                yield token == null ? fail(INVALID) : apiToken(token.user(), secret);
            }
            default -> {
                User named = state.users.get(user);
                ApiToken token = state.apiTokens.get(secret);
                if (named != null && token != null && token.user() == named) {
                    yield apiToken(named, secret);
                }
                yield appPassword(user, secret);
            }
        };
    }

    private Outcome bearer(String token) {
        AccessToken access = state.accessTokens.get(token);
        if (access != null) {
            if (!state.now().isBefore(access.expiresAt())) {
                return fail(EXPIRED);
            }
            return ok(new CloudPrincipal(CloudPrincipal.Kind.OAUTH, access.user(), access.scopes(), null));
        }
        ResourceToken resource = state.resourceTokens.get(token);
        if (resource != null) {
            return ok(new CloudPrincipal(CloudPrincipal.Kind.ACCESS_TOKEN, resource.pseudoUser(), resource.scopes(),
                    resource));
        }
        return fail(INVALID);
    }

    private Outcome apiToken(User user, String secret) {
        ApiToken token = state.apiTokens.get(secret);
        if (user == null || token == null || token.user() != user || !state.now().isBefore(token.expiresAt())) {
            return fail(INVALID);
        }
        return ok(new CloudPrincipal(CloudPrincipal.Kind.API_TOKEN, user, token.scopes(), null));
    }

    private Outcome appPassword(String username, String secret) {
        AppPassword password = state.appPasswords.get(username);
        if (password == null || !password.password().equals(secret)) {
            return fail(INVALID);
        }
        if (state.appPasswordsRemoved) {
            return fail("App passwords have been removed. Use an API token instead.");
        }
        return ok(new CloudPrincipal(CloudPrincipal.Kind.APP_PASSWORD, password.user(), password.scopes(), null));
    }

    private static Outcome ok(CloudPrincipal principal) {
        return new Outcome(principal, null);
    }

    private static Outcome fail(String message) {
        return new Outcome(null, FakeResponse.json(401, CloudJson.error(message)));
    }
}
