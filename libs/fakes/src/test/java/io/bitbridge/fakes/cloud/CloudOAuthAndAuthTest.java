package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.cloud.CloudTestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OAuth 2.0 flows and how the API authenticates and authorises each credential kind. */
class CloudOAuthAndAuthTest {
    private static BitbucketCloudFake fake;

    @BeforeAll
    static void start() {
        fake = BitbucketCloudFake.sandboxBuilder()
                .user("bob", "Bob Reader", "bob@example.com")
                .member("acme", "bob", CloudPermission.READ)
                .appPassword("bob", "app-pass", "repository", "account")
                .apiToken("bob@example.com", "bob-write-only", "write:repository:bitbucket")
                .oauthConsumer("public-key", "public-secret", "http://localhost/cb", "bob", false, "repository")
                .oauthConsumer("narrow-key", "narrow-secret", "http://localhost/cb", "bob", true, "account")
                .repositoryAccessToken("acme", "game", "game-token", "repository")
                .workspaceAccessToken("tools", "tools-token", "repository:write")
                .start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private static Reply authorize(String clientId, String state) {
        return CloudTestClient.anonymous(fake).get("/site/oauth2/authorize?client_id=" + clientId
                + "&response_type=code&state=" + state + "&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcallback");
    }

    private static Reply token(CloudTestClient client, String... form) {
        return client.postForm("/site/oauth2/access_token", form);
    }

    private static CloudTestClient consumer() {
        return CloudTestClient.basic(fake, BitbucketCloudFake.SANDBOX_CONSUMER_KEY,
                BitbucketCloudFake.SANDBOX_CONSUMER_SECRET);
    }

    private static String codeFrom(Reply redirect) {
        assertEquals(302, redirect.status());
        URI location = URI.create(redirect.header("Location"));
        assertTrue(location.toString().startsWith("http://localhost:9/callback?"), location.toString());
        return CloudTestClient.query(location).get("code");
    }

    @Test
    void authorizationCodeFlowIssuesDocumentedTokenFieldsAndTheTokenWorks() {
        Reply redirect = authorize(BitbucketCloudFake.SANDBOX_CONSUMER_KEY, "xyz-1");
        assertEquals("xyz-1", CloudTestClient.query(URI.create(redirect.header("Location"))).get("state"));
        Reply issued = token(consumer(), "grant_type", "authorization_code", "code", codeFrom(redirect),
                "redirect_uri", "http://localhost:9/callback");
        assertEquals(200, issued.status(), issued.body());
        JsonNode body = issued.json();
        assertEquals(Set.of("access_token", "token_type", "expires_in", "refresh_token", "scopes", "state"),
                fieldNames(body));
        assertEquals("bearer", body.get("token_type").asText());
        assertEquals(3600, body.get("expires_in").asInt());
        assertEquals("authorization_code", body.get("state").asText());
        assertEquals(String.join(" ", BitbucketCloudFake.SANDBOX_CONSUMER_SCOPES), body.get("scopes").asText());
        Reply user = CloudTestClient.bearer(fake, body.get("access_token").asText()).get("/2.0/user");
        assertEquals(200, user.status());
        assertEquals("sandbox", user.json().get("nickname").asText());
        Reply reused = token(consumer(), "grant_type", "authorization_code", "code", codeFrom(redirect),
                "redirect_uri", "http://localhost:9/callback");
        assertEquals("invalid_grant", reused.json().get("error").asText(), "a code works once");
    }

    /** RFC 7636 Appendix B: this verifier's S256 challenge is E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM. */
    private static final String RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private static String pkceCode(String challengeParameters) {
        return codeFrom(CloudTestClient.anonymous(fake).get("/site/oauth2/authorize?client_id=" + BitbucketCloudFake.SANDBOX_CONSUMER_KEY
                + "&response_type=code&state=p&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcallback" + challengeParameters));
    }

    private static Reply redeem(String code, String... verifier) {
        List<String> form = new ArrayList<>(List.of("grant_type", "authorization_code", "code", code, "redirect_uri", "http://localhost:9/callback"));
        form.addAll(List.of(verifier));
        return token(consumer(), form.toArray(String[]::new));
    }

    @Test
    void aCodeIssuedWithACodeChallengeIsRedeemedOnlyWithItsVerifier() {
        String s256 = "&code_challenge=" + RFC_CHALLENGE + "&code_challenge_method=S256";
        assertEquals("invalid_grant", redeem(pkceCode(s256)).json().get("error").asText(), "no verifier");
        assertEquals("invalid_grant", redeem(pkceCode(s256), "code_verifier", RFC_VERIFIER.replace('d', 'e')).json().get("error").asText());
        assertEquals("invalid_grant", redeem(pkceCode(s256), "code_verifier", RFC_CHALLENGE).json().get("error").asText(),
                "the challenge itself is not the verifier under S256");
        assertEquals(200, redeem(pkceCode(s256), "code_verifier", RFC_VERIFIER).status());

        String plain = "&code_challenge=" + RFC_VERIFIER; // no method: plain (RFC 7636 §4.3)
        assertEquals("invalid_grant", redeem(pkceCode(plain), "code_verifier", RFC_CHALLENGE).json().get("error").asText());
        assertEquals(200, redeem(pkceCode(plain), "code_verifier", RFC_VERIFIER).status());
    }

    @Test
    void aMalformedCodeChallengeOrAnUnknownMethodIsAnInvalidRequestRedirect() {
        for (String parameters : List.of("&code_challenge=short&code_challenge_method=S256",
                "&code_challenge=" + RFC_CHALLENGE + "&code_challenge_method=S512")) {
            Reply redirect = CloudTestClient.anonymous(fake).get("/site/oauth2/authorize?client_id=" + BitbucketCloudFake.SANDBOX_CONSUMER_KEY
                    + "&response_type=code&state=q&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcallback" + parameters);
            Map<String, String> query = CloudTestClient.query(URI.create(redirect.header("Location")));
            assertEquals("invalid_request", query.get("error"), parameters);
            assertNull(query.get("code"));
        }
    }

    @Test
    void deniedConsentRedirectsWithAccessDeniedAndState() {
        fake.setConsentDenied(true);
        try {
            Reply redirect = authorize(BitbucketCloudFake.SANDBOX_CONSUMER_KEY, "s2");
            Map<String, String> query = CloudTestClient.query(URI.create(redirect.header("Location")));
            assertEquals("access_denied", query.get("error"));
            assertEquals("s2", query.get("state"));
            assertNull(query.get("code"));
        } finally {
            fake.setConsentDenied(false);
        }
    }

    @Test
    void tokenEndpointRefusesBearerAndWrongSecrets() {
        Reply bearer = token(CloudTestClient.bearer(fake, "sandbox-secret"), "grant_type", "client_credentials");
        assertEquals(400, bearer.status());
        assertEquals("unauthorized_client", bearer.json().get("error").asText());
        assertEquals("Requests must be authenticated using OAuth client credentials",
                bearer.json().get("error_description").asText());
        Reply wrong = token(CloudTestClient.basic(fake, "sandbox-key", "nope"), "grant_type", "client_credentials");
        assertEquals(401, wrong.status());
        Reply grant = token(consumer(), "grant_type", "password");
        assertEquals("unsupported_grant_type", grant.json().get("error").asText());
    }

    @Test
    void refreshTokensRotateAndAUsedOneIsInvalidGrant() {
        JsonNode first = token(consumer(), "grant_type", "client_credentials").json();
        assertEquals("client_credentials", first.get("state").asText());
        String refresh = first.get("refresh_token").asText();
        Reply rotated = token(consumer(), "grant_type", "refresh_token", "refresh_token", refresh);
        assertEquals(200, rotated.status());
        assertNotEquals(refresh, rotated.json().get("refresh_token").asText());
        assertNotEquals(first.get("access_token").asText(), rotated.json().get("access_token").asText());
        Reply again = token(consumer(), "grant_type", "refresh_token", "refresh_token", refresh);
        assertEquals(400, again.status());
        assertEquals("invalid_grant", again.json().get("error").asText());
        Reply bogus = token(consumer(), "grant_type", "refresh_token", "refresh_token", "bogus");
        assertEquals("invalid_grant", bogus.json().get("error").asText());
        Reply fresh = token(consumer(), "grant_type", "refresh_token", "refresh_token",
                rotated.json().get("refresh_token").asText());
        assertEquals(200, fresh.status(), "the newest refresh token works");
    }

    @Test
    void clientCredentialsNeedAPrivateConsumer() {
        Reply refused = token(CloudTestClient.basic(fake, "public-key", "public-secret"),
                "grant_type", "client_credentials");
        assertEquals(400, refused.status());
        assertEquals("unauthorized_client", refused.json().get("error").asText());
    }

    @Test
    void expiredAccessTokenGetsTheDocumentedBody() {
        fake.setAccessTokenLifetime(Duration.ofMinutes(5));
        try {
            JsonNode issued = token(consumer(), "grant_type", "client_credentials").json();
            assertEquals(300, issued.get("expires_in").asInt());
            CloudTestClient client = CloudTestClient.bearer(fake, issued.get("access_token").asText());
            assertEquals(200, client.get("/2.0/user").status());
            fake.advanceClock(Duration.ofMinutes(6));
            Reply expired = client.get("/2.0/user");
            assertEquals(401, expired.status());
            assertEquals("{\"type\":\"error\",\"error\":{\"message\":\"Access token expired. Use your refresh token "
                    + "to obtain a new access token.\"}}", expired.body());
        } finally {
            fake.setAccessTokenLifetime(Duration.ofHours(1));
        }
    }

    @Test
    void apiTokensAreBasicWithTheEmailNeverBearer() {
        assertEquals(200, CloudTestClient.sandbox(fake).get("/2.0/user").status());
        assertEquals(401, CloudTestClient.bearer(fake, BitbucketCloudFake.SANDBOX_API_TOKEN).get("/2.0/user").status());
        assertEquals(401, CloudTestClient.basic(fake, "sandbox", BitbucketCloudFake.SANDBOX_API_TOKEN)
                .get("/2.0/user").status(), "the API wants the email, not the username");
        assertEquals(401, CloudTestClient.anonymous(fake).get("/2.0/user").status());
        assertEquals(401, CloudTestClient.basic(fake, "sandbox@example.com", "wrong").get("/2.0/user").status());
    }

    @Test
    void missingScopeIs403WithRequiredAndGrantedAndApiTokenWriteDoesNotImplyRead() {
        Reply reply = CloudTestClient.basic(fake, "bob@example.com", "bob-write-only").get("/2.0/repositories/acme/game");
        assertEquals(403, reply.status());
        JsonNode error = reply.json().get("error");
        assertEquals("Your credentials lack one or more required privilege scopes.", error.get("message").asText());
        assertEquals(List.of("read:repository:bitbucket"), texts(error.get("detail").get("required")));
        assertEquals(List.of("write:repository:bitbucket"), texts(error.get("detail").get("granted")));
        String narrow = fake.issueAccessToken("narrow-key", "sandbox");
        assertEquals(403, CloudTestClient.bearer(fake, narrow).get("/2.0/repositories/acme").status());
        assertEquals(200, CloudTestClient.bearer(fake, narrow).get("/2.0/user").status());
    }

    @Test
    void classicWriteScopeImpliesReadButRepositoryAdminDoesNot() {
        assertEquals(Set.of("repository:write", "repository"), CloudScopes.closure(Set.of("repository:write")));
        assertEquals(Set.of("pullrequest:write", "pullrequest", "repository:write", "repository"),
                CloudScopes.closure(Set.of("pullrequest:write")));
        assertEquals(Set.of("repository:admin"), CloudScopes.closure(Set.of("repository:admin")));
        Reply viaWrite = CloudTestClient.bearer(fake, "tools-token").get("/2.0/repositories/tools/scripts");
        assertEquals(200, viaWrite.status(), "repository:write includes repository");
    }

    @Test
    void appPasswordsWorkUntilRemoved() {
        CloudTestClient bob = CloudTestClient.basic(fake, "bob", "app-pass");
        assertEquals(200, bob.get("/2.0/repositories/acme/game").status());
        fake.setAppPasswordsRemoved(true);
        try {
            assertEquals(401, bob.get("/2.0/repositories/acme/game").status());
        } finally {
            fake.setAppPasswordsRemoved(false);
        }
    }

    @Test
    void accessTokensReachOnlyTheirRepositoryOrWorkspace() {
        CloudTestClient game = CloudTestClient.bearer(fake, "game-token");
        assertEquals(200, game.get("/2.0/repositories/acme/game").status());
        assertEquals(403, game.get("/2.0/repositories/acme/infra").status());
        assertEquals(List.of("game"), slugs(game.get("/2.0/repositories/acme").json()));
        CloudTestClient tools = CloudTestClient.bearer(fake, "tools-token");
        assertEquals(403, tools.get("/2.0/repositories/acme/game").status());
        assertEquals(401, CloudTestClient.bearer(fake, "no-such-token").get("/2.0/repositories/acme/game").status());
    }

    @Test
    void readersCannotWrite() {
        CloudTestClient bob = CloudTestClient.basic(fake, "bob", "app-pass");
        Reply write = bob.send(bob.request("/2.0/repositories/acme/game/refs/branches/main")
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, write.status(), "app password lacks repository:write");
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> slugs(JsonNode page) {
        List<String> out = new java.util.ArrayList<>();
        page.get("values").forEach(v -> out.add(v.get("slug").asText()));
        return out;
    }

    @Test
    void unknownClientIdIsRefusedAtAuthorize() {
        Reply reply = authorize("nobody", "s");
        assertEquals(400, reply.status());
        assertFalse(reply.body().isEmpty());
    }
}
