package io.bitbridge.tracker;

import io.bitbridge.bitbucket.WebhookEventKeys;
import io.bitbridge.bitbucket.webhook.CloudPayloadMapper;
import io.bitbridge.bitbucket.webhook.DeliveryContext;
import io.bitbridge.bitbucket.webhook.PayloadMapper;
import io.bitbridge.bitbucket.webhook.ServerPayloadMapper;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PullRequest;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.testkit.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The public webhook bodies ({@code testdata/bitbucket-webhooks/public}, listed in its {@code MANIFEST.tsv}) as the
 * gateway publishes them: every body whose event key the gateway publishes, through the same mappers. Each delivery is
 * received one minute after the previous manifest line, so the events carry fixed receipt times.
 */
final class FixtureEvents {
    static final Instant FIRST_RECEIPT = Instant.parse("2026-01-05T08:00:00Z");

    private FixtureEvents() {
    }

    /** Every published event, in manifest order: {@link PushEvent}s and {@link PullRequestEvent}s. */
    static List<Record> all() {
        Path folder = TestData.webhookFixtures();
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve("MANIFEST.tsv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Record> events = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] columns = lines.get(i).split("\t");
            String file = columns[0];
            Provider provider = "cloud".equals(columns[1]) ? Provider.BITBUCKET_CLOUD : Provider.BITBUCKET_SERVER;
            String eventKey = columns[2];
            if (!WebhookEventKeys.of(provider).published(eventKey)) {
                continue;
            }
            PayloadMapper mapper = provider == Provider.BITBUCKET_CLOUD ? new CloudPayloadMapper() : new ServerPayloadMapper();
            DeliveryContext delivery = new DeliveryContext(provider, "credential-1", eventKey, file, 1,
                    FIRST_RECEIPT.plusSeconds(60L * i), null);
            try {
                events.add(mapper.map(delivery, EventJson.mapper().readTree(folder.resolve(file).toFile())).event());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    /**
     * The event moved to a copy of its repository ({@code slug + suffix}; a fork source moves to its own copy) under
     * delivery id {@code id + suffix}: the same history, kept apart from other copies.
     */
    static Record copy(Record event, String suffix) {
        if (event instanceof PushEvent push) {
            return new PushEvent(push.deliveryId() + suffix, push.attempt(), push.provider(), push.credentialId(),
                    push.eventKey(), copy(push.repository(), suffix), push.actor(), push.changes(), push.receivedAt());
        }
        PullRequestEvent pr = (PullRequestEvent) event;
        PullRequest p = pr.pullRequest();
        PullRequest moved = new PullRequest(p.id(), p.title(), p.description(), p.state(), p.rawState(), p.author(),
                new PullRequest.Endpoint(key(p.source().repositoryKey(), suffix), p.source().branch(), p.source().commit()),
                new PullRequest.Endpoint(key(p.destination().repositoryKey(), suffix), p.destination().branch(), p.destination().commit()),
                p.mergeCommit(), p.reviewers(), p.createdAt(), p.updatedAt());
        return new PullRequestEvent(pr.deliveryId() + suffix, pr.attempt(), pr.provider(), pr.credentialId(), pr.eventKey(),
                pr.action(), copy(pr.repository(), suffix), pr.actor(), moved, pr.receivedAt());
    }

    static RepositoryRef repository(Record event) {
        return event instanceof PushEvent push ? push.repository() : ((PullRequestEvent) event).repository();
    }

    private static RepositoryRef copy(RepositoryRef repo, String suffix) {
        return new RepositoryRef(repo.key() + suffix, repo.provider(), repo.host(), repo.owner(), repo.slug() + suffix,
                repo.name(), repo.htmlUrl(), repo.cloneUrls());
    }

    private static String key(String repositoryKey, String suffix) {
        return repositoryKey == null ? null : repositoryKey + suffix;
    }
}
