package io.bitbridge.buildtrigger.support;

import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeResponse;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The Bitbucket Cloud fake (sandbox: workspace {@code acme}, repository {@code game}) and credential-service's
 * internal authorization endpoint for credential {@link #CREDENTIAL}, answering the shared {@link Authorization} record
 * with the sandbox user's API token for the fake. Rule: {@code bitbucket-cloud:bitbucket.org/acme/*} builds on {@code ci}.
 */
public class BitbucketCloudResource implements QuarkusTestResourceLifecycleManager {
    public static final String CREDENTIAL = "cred-cloud";
    public static final String REPOSITORY = "bitbucket-cloud:bitbucket.org/acme/game";

    private static volatile BitbucketCloudFake cloud;
    private static volatile FakeHttpServer credentials;

    @Override
    public Map<String, String> start() {
        cloud = BitbucketCloudFake.sandbox();
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes(StandardCharsets.UTF_8));
        Authorization authorization = new Authorization(basic, null, cloud.baseUri().toString(), null, null, null, false,
                CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD);
        String path = InternalCredentialApi.ROOT + InternalCredentialApi.AUTHORIZATION.replace("{id}", CREDENTIAL);
        credentials = FakeHttpServer.builder("credential-service-fake", request ->
                request.method().equals("POST") && request.rawPath().equals(path)
                        ? FakeResponse.bytes(200, "application/json", EventJson.toBytes(authorization))
                        : FakeResponse.text(404, "unknown credential")).start();
        return Map.of(
                "quarkus.rest-client.credential-service.url", credentials.baseUri().toString(),
                "bitbridge.build-trigger.rules[2].repository", "bitbucket-cloud:bitbucket.org/acme/*",
                "bitbridge.build-trigger.rules[2].instance", "ci",
                "bitbridge.build-trigger.rules[2].default-job", "GameBuild");
    }

    @Override
    public void stop() {
        if (credentials != null) {
            credentials.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    public static BitbucketCloudFake cloud() {
        return cloud;
    }
}
