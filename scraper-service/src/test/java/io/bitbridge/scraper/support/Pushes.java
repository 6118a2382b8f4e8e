package io.bitbridge.scraper.support;

import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.Commit;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.Topics;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.testkit.TestInfra;
import io.bitbridge.testkit.TopicTail;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pushes for the tests: sandbox credentials, building, publishing and reading back pushes, commits through Cloud's API. */
public final class Pushes {
    public static final String CLOUD_BASIC = "Basic " + Base64.getEncoder().encodeToString((BitbucketCloudFake.SANDBOX_EMAIL + ":"
            + BitbucketCloudFake.SANDBOX_API_TOKEN).getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Pushes() {
    }

    /** The in-test credential-service hands out the sandbox users of the current {@link BitbucketFakes}. */
    public static void sandboxCredentials(String cloudId, String serverId) {
        FakeCredentialService.get().put(cloudId, new Authorization(CLOUD_BASIC, null, BitbucketFakes.cloud().apiUrl(), null, null, null,
                false, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD));
        FakeCredentialService.get().put(serverId, new Authorization("Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null,
                BitbucketFakes.server().baseUrl(), null, null, null, false, CredentialKind.BITBUCKET_SERVER_TOKEN, Provider.BITBUCKET_SERVER));
    }

    /** Publishes {@code push} on bitbucket.push.v1 and returns its expansion from bitbucket.push.expanded.v1. */
    public static PushEvent expand(EventPublisher publisher, PushEvent push) throws Exception {
        try (TopicTail expanded = TopicTail.from(TestInfra.topic(Topics.PUSH_EXPANDED))) {
            publish(publisher, push);
            return decode(expanded.await(r -> push.deliveryId().equals(ceId(r))));
        }
    }

    public static void publish(EventPublisher publisher, PushEvent push) throws Exception {
        publish(publisher, push, push.deliveryId());
    }

    /** Publishes {@code push} as the event {@code eventId} ({@code ce_id}), as the gateway names a delivery's event. */
    public static void publish(EventPublisher publisher, PushEvent push, String eventId) throws Exception {
        publisher.publish(EventType.PUSH, push.repository().key(),
                        CloudEventHeaders.of(eventId, EventType.PUSH, "/webhooks/test", push.receivedAt()), push)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public static PushEvent push(Provider provider, String credentialId, RepositoryRef repository, RefChange... changes) {
        return new PushEvent(UUID.randomUUID().toString(), 1, provider, credentialId,
                provider == Provider.BITBUCKET_CLOUD ? "repo:push" : "repo:refs_changed", repository, Person.unknown(),
                Arrays.asList(changes), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** A repository of the sandbox's Cloud workspace {@code acme}. */
    public static RepositoryRef cloudRepository(String slug) {
        return RepositoryRef.of(Provider.BITBUCKET_CLOUD, "bitbucket.org", "acme", slug, slug, null, List.of());
    }

    /** The sandbox's Server repository OPS/platform. */
    public static RepositoryRef serverRepository() {
        return RepositoryRef.of(Provider.BITBUCKET_SERVER, RepositoryRef.hostOf(BitbucketFakes.server().baseUrl()), "OPS",
                "platform", "platform", null, List.of());
    }

    public static Commit bareCommit(String hash) {
        return new Commit(hash, null, null, null, List.of(), List.of());
    }

    public static PushEvent decode(ConsumerRecord<byte[], byte[]> record) {
        return EventJson.fromBytes(record.value(), PushEvent.class);
    }

    public static String ceId(ConsumerRecord<byte[], byte[]> record) {
        return CloudEventHeaders.read(record.headers()).map(CloudEventHeaders::id).orElse(null);
    }

    /** A commit through Cloud's {@code POST /src} (docs/bitbucket-api-notes.md §1), on a new branch from {@code parent}. */
    public static void cloudCommit(String slug, String branch, String path, String message, String parent) throws Exception {
        StringBuilder form = new StringBuilder("message=" + encode(message) + "&branch=" + encode(branch) + "&"
                + encode(path) + "=" + encode(message + "\n"));
        if (parent != null) {
            form.append("&parents=").append(parent);
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(BitbucketFakes.cloud().apiUrl() + "/repositories/acme/"
                        + slug + "/src")).header("Authorization", CLOUD_BASIC).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
