package io.bitbridge.buildtrigger.support;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The Bitbucket Cloud fake (sandbox: workspace {@code acme}, repository {@code game}), the Bitbucket Server fake (sandbox:
 * project {@code OPS}, repository {@code platform}) and credential-service's internal authorization endpoint, answering
 * the shared {@link Authorization} record for {@link #CLOUD_CREDENTIAL} (the Cloud sandbox user's API token) and
 * {@link #SERVER_CREDENTIAL} (the Server sandbox user's HTTP access token). Rules: {@code acme/*} on Cloud and
 * {@code OPS/platform} on Server build {@code GameBuild} on {@code ci}.
 */
public class BitbucketFakesResource implements QuarkusTestResourceLifecycleManager {
    public static final String CLOUD_CREDENTIAL = "cred-cloud";
    public static final String SERVER_CREDENTIAL = "cred-server";
    public static final String CLOUD_REPOSITORY = "bitbucket-cloud:bitbucket.org/acme/game";

    private static volatile BitbucketCloudFake cloud;
    private static volatile BitbucketServerFake server;
    private static volatile FakeHttpServer credentials;

    @Override
    public Map<String, String> start() {
        cloud = BitbucketCloudFake.sandbox();
        server = BitbucketServerFake.sandbox(0);
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes(StandardCharsets.UTF_8));
        Map<String, Authorization> byPath = Map.of(
                path(CLOUD_CREDENTIAL), new Authorization(basic, null, cloud.baseUri().toString(), null, null, null, false,
                        CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD),
                path(SERVER_CREDENTIAL), new Authorization("Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null, server.baseUrl(),
                        null, null, null, false, CredentialKind.BITBUCKET_SERVER_TOKEN, Provider.BITBUCKET_SERVER));
        credentials = FakeHttpServer.builder("credential-service-fake", request -> {
            // As credential-service: only a token of the build's token endpoint with the authorization scope.
            if (!TestTokens.grants(request.header("Authorization"), Roles.READ_AUTHORIZATIONS)) {
                return FakeResponse.text(401, "a token with the " + Roles.READ_AUTHORIZATIONS + " scope is required");
            }
            Authorization authorization = request.method().equals("POST") ? byPath.get(request.rawPath()) : null;
            return authorization != null ? FakeResponse.bytes(200, "application/json", EventJson.toBytes(authorization))
                    : FakeResponse.text(404, "unknown credential");
        }).start();
        return Map.of(
                "quarkus.rest-client.credential-service.url", credentials.baseUri().toString(),
                "bitbridge.build-trigger.rules[2].repository", "bitbucket-cloud:bitbucket.org/acme/*",
                "bitbridge.build-trigger.rules[2].instance", "ci",
                "bitbridge.build-trigger.rules[2].default-job", "GameBuild",
                "bitbridge.build-trigger.rules[3].repository", serverRepository().key(),
                "bitbridge.build-trigger.rules[3].instance", "ci",
                "bitbridge.build-trigger.rules[3].default-job", "GameBuild");
    }

    private static String path(String credential) {
        return InternalCredentialApi.ROOT + InternalCredentialApi.AUTHORIZATION.replace("{id}", credential);
    }

    /** {@code OPS/platform} as a push from the Server fake names it (the project key in its own case). */
    public static RepositoryRef serverRepository() {
        return RepositoryRef.of(Provider.BITBUCKET_SERVER, RepositoryRef.hostOf(server.baseUrl()), "OPS", "platform", "platform",
                null, java.util.List.of());
    }

    @Override
    public void stop() {
        if (credentials != null) {
            credentials.close();
        }
        if (cloud != null) {
            cloud.close();
        }
        if (server != null) {
            server.close();
        }
    }

    public static BitbucketCloudFake cloud() {
        return cloud;
    }

    public static BitbucketServerFake server() {
        return server;
    }
}
