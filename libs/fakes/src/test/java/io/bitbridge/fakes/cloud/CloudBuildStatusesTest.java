package io.bitbridge.fakes.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BaseUrlPolicy;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.cloud.CloudBuildStatuses;
import io.bitbridge.bitbucket.cloud.CloudBuildStatuses.BuildStatus;
import io.bitbridge.bitbucket.cloud.CloudBuildStatuses.State;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The build-status client against the Cloud fake: a status is created, moved on under its key, and read back. */
class CloudBuildStatusesTest {
    /** The fakes listen on loopback over plain http. */
    private static final BaseUrlPolicy LOOPBACK = BaseUrlPolicy.allowing("127.0.0.1", "localhost");
    private static BitbucketCloudFake fake;

    @BeforeAll
    static void start() {
        fake = BitbucketCloudFake.sandbox();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void postingTheSameKeyMovesTheStatusOn() {
        String head = fake.branchTip("acme", "game", "main");
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes(StandardCharsets.UTF_8));
        CloudBuildStatuses statuses = new CloudBuildStatuses(new BitbucketEndpoint(fake.baseUri(), basic, null, false, LOOPBACK));
        String url = "https://jenkins.example.com/job/GameBuild/7/";
        statuses.post("acme", "game", head, new BuildStatus("BITBRIDGE-GameBuild", State.INPROGRESS, url, "GameBuild #7", null, "main"));
        statuses.post("acme", "game", head, new BuildStatus("BITBRIDGE-GameBuild", State.SUCCESSFUL, url, "GameBuild #7", "SUCCESS", "main"));

        JsonNode listed = CloudTestClient.sandbox(fake).get("/2.0/repositories/acme/game/commit/" + head + "/statuses").json();
        assertEquals(1, listed.path("values").size(), listed.toString());
        JsonNode status = listed.path("values").get(0);
        assertEquals("SUCCESSFUL", status.path("state").asText());
        assertEquals(url, status.path("url").asText());
        assertEquals("main", status.path("refname").asText());

        BitbucketApiException unknown = assertThrows(BitbucketApiException.class, () -> statuses.post("acme", "game", "f".repeat(40),
                new BuildStatus("BITBRIDGE-GameBuild", State.FAILED, url, null, null, null)));
        assertEquals(404, unknown.status());
    }
}
