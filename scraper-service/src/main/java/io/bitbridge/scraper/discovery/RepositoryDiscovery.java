package io.bitbridge.scraper.discovery;

import io.bitbridge.bitbucket.DiscoveredRepository;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.CredentialAuthorizations;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventType;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryCatalogEvent;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.scraper.client.BitbucketReaders;
import io.bitbridge.scraper.config.ScraperConfig;
import io.bitbridge.scraper.discovery.CatalogDiff.Change;
import io.bitbridge.scraper.discovery.RepositoryStore.DefaultBranch;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Repository discovery: reads every repository a credential lists (Cloud: every workspace it reaches; Server / Data
 * Center: {@code /rest/api/1.0/repos}, and a few default branches per scrape, see {@link #scrape(String)}), stores the result and publishes what changed on {@code repositories.catalog.v1}
 * (DISCOVERED / UPDATED / REMOVED, keyed by credential and repository so compaction keeps the latest of each pair). A
 * scrape that finds nothing new publishes nothing. A listing that fails anywhere (Bitbucket error, a {@code next} link
 * to another host, budget spent) stores and publishes nothing, so a partial listing never marks repositories removed.
 *
 * <p>Runs on a lifecycle event that asks for it (created, updated, reconnected: once across instances), on the
 * schedule, and on an admin's request. Bitbucket calls go through {@link BitbucketReaders}: the credential's budget,
 * 429 backoff and the host's guards, shared with push expansion.
 */
@ApplicationScoped
public class RepositoryDiscovery {
    static final String SOURCE = "/scraper-service/repository-discovery";
    /** Cloud repositories are keyed by Bitbucket's web host, whatever API URL the credential calls. */
    static final String CLOUD_HOST = "bitbucket.org";
    private static final Logger LOG = Logger.getLogger(RepositoryDiscovery.class);
    private static final Duration STORE_WAIT = Duration.ofMinutes(2);

    private final CredentialAuthorizations authorizations;
    private final BitbucketReaders readers;
    private final RepositoryStore store;
    private final EventPublisher publisher;
    private final ScraperConfig config;
    private final ExecutorService background;

    RepositoryDiscovery(CredentialAuthorizations authorizations, BitbucketReaders readers, RepositoryStore store,
                        EventPublisher publisher, ScraperConfig config) {
        this.authorizations = authorizations;
        this.readers = readers;
        this.store = store;
        this.publisher = publisher;
        this.config = config;
        AtomicInteger threads = new AtomicInteger();
        this.background = Executors.newFixedThreadPool(config.discovery().concurrency(), task -> {
            Thread thread = new Thread(task, "repository-discovery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** What one scrape found and changed. */
    public record ScrapeResult(String credentialId, int listed, int discovered, int updated, int removed) {
        static ScrapeResult of(String credentialId, int listed, List<Change> changes) {
            return new ScrapeResult(credentialId, listed, count(changes, RepositoryCatalogEvent.Type.DISCOVERED),
                    count(changes, RepositoryCatalogEvent.Type.UPDATED), count(changes, RepositoryCatalogEvent.Type.REMOVED));
        }

        private static int count(List<Change> changes, RepositoryCatalogEvent.Type type) {
            return (int) changes.stream().filter(change -> change.type() == type).count();
        }
    }

    /** credential-service does not know the credential (never created, or deleted). */
    public static final class UnknownCredentialException extends RuntimeException {
        UnknownCredentialException(String credentialId) {
            super("credential " + credentialId + " is unknown to credential-service");
        }
    }

    /**
     * Scrapes the credential now and returns what changed. Blocking (call from a worker thread). Throws what stopped it:
     * {@link UnknownCredentialException}, the credential client's exceptions (down, credential-service unavailable),
     * Bitbucket's ({@code BitbucketApiException}, unreachable, breaker open), the budget's, or an
     * {@link IllegalStateException} for a listing that cannot be followed (a {@code next} link to another host).
     */
    public ScrapeResult scrape(String credentialId) {
        return scrape(credentialId, false);
    }

    /**
     * An admin's refresh: {@link #scrape(String)}, and on Server / Data Center the known default branches are read again
     * too (oldest read first, within the same per-scrape number of reads), so a changed one is published as UPDATED.
     */
    public ScrapeResult refresh(String credentialId) {
        return scrape(credentialId, true);
    }

    private ScrapeResult scrape(String credentialId, boolean rereadDefaultBranches) {
        try {
            Authorization authorization = authorizations.forCredential(credentialId)
                    .orElseThrow(() -> new UnknownCredentialException(credentialId));
            List<CatalogEntry> listed = readers.repositories(credentialId, authorization).stream()
                    .map(repository -> entry(authorization, repository)).toList();
            if (authorization.provider() == Provider.BITBUCKET_CLOUD) {
                return apply(credentialId, listed, Set.of());
            }
            Set<String> read = new HashSet<>();
            List<CatalogEntry> withDefaults = withDefaultBranches(credentialId, authorization, listed, rereadDefaultBranches, read);
            return apply(credentialId, withDefaults, read);
        } catch (RuntimeException e) {
            LOG.infof("repository discovery of credential %s failed: %s", credentialId, e.getMessage());
            // the failure to report is e, not a second one from the database
            store.recordFailure(credentialId, e.getClass().getSimpleName() + ": " + e.getMessage())
                    .onFailure().recoverWithNull().await().atMost(STORE_WAIT);
            throw e;
        }
    }

    /**
     * A lifecycle event: created, updated or reconnected (status changed to UP) asks for a scrape, deleted marks every
     * repository of the credential removed. Whichever instance claims the event first does it, in the background.
     */
    public Uni<Void> onLifecycle(CredentialLifecycleEvent event) {
        boolean deleted = event.type() == CredentialLifecycleEvent.Type.DELETED;
        boolean scrape = !deleted && event.status() == CredentialLifecycleEvent.Status.UP
                && event.type() != CredentialLifecycleEvent.Type.WEBHOOK_SECRET_ROTATED;
        return store.claimLifecycleEvent(event.credentialId(), event.status().name(), deleted, event.occurredAt(), scrape)
                .invoke(claimed -> {
                    if (claimed && scrape) {
                        inBackground(event.credentialId());
                    } else if (claimed && deleted) {
                        background.execute(() -> removeAll(event.credentialId()));
                    }
                })
                .replaceWithVoid();
    }

    /** Starts a background scrape of every credential due for one; returns their ids. */
    public Uni<List<String>> scrapeDue() {
        return store.claimDue(config.discovery().interval()).invoke(ids -> ids.forEach(this::inBackground));
    }

    private void inBackground(String credentialId) {
        background.execute(() -> {
            try {
                ScrapeResult result = scrape(credentialId);
                LOG.infof("repository discovery of credential %s: %d listed, %d discovered, %d updated, %d removed", credentialId,
                        result.listed(), result.discovered(), result.updated(), result.removed());
            } catch (RuntimeException e) {
                // logged and recorded by scrape; the schedule tries again
            }
        });
    }

    private void removeAll(String credentialId) {
        try {
            ScrapeResult result = apply(credentialId, List.of(), Set.of());
            LOG.infof("credential %s deleted: %d repositories marked removed", credentialId, result.removed());
        } catch (RuntimeException e) {
            LOG.warnf("marking the repositories of deleted credential %s removed failed: %s", credentialId, e.getMessage());
        }
    }

    /**
     * A Server / Data Center listing with default branches: the stored one where it is known, read from Bitbucket (one
     * call each, at most {@code discovery.default-branch-reads} per scrape) for repositories new to the store or whose
     * default branch is unknown, and on {@code reread} for known ones too; never read or read longest ago first. A read
     * that fails ends the reads of this scrape (the budget is spent, or Bitbucket is failing): the listing is stored
     * with what is known and the next scrape reads on. {@code read} receives the keys read.
     */
    private List<CatalogEntry> withDefaultBranches(String credentialId, Authorization authorization, List<CatalogEntry> listed,
                                                   boolean reread, Set<String> read) {
        Map<String, DefaultBranch> stored = store.defaultBranches(credentialId).await().atMost(STORE_WAIT);
        List<CatalogEntry> toRead = listed.stream()
                .filter(entry -> reread || !stored.containsKey(entry.key()) || stored.get(entry.key()).name() == null)
                .sorted(Comparator.comparing((CatalogEntry entry) -> readAt(stored, entry), Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(CatalogEntry::key))
                .limit(config.discovery().defaultBranchReads())
                .toList();
        Map<String, String> found = new HashMap<>();
        for (CatalogEntry entry : toRead) {
            try {
                found.put(entry.key(), readers.serverDefaultBranch(credentialId, authorization, entry.repository().owner(),
                        entry.repository().slug()).orElse(null));
                read.add(entry.key());
            } catch (RuntimeException e) {
                LOG.infof("default branch of %s (credential %s) not read, the rest wait for the next scrape: %s", entry.key(),
                        credentialId, e.getMessage());
                break;
            }
        }
        return listed.stream().map(entry -> {
            String branch = read.contains(entry.key()) ? found.get(entry.key())
                    : stored.containsKey(entry.key()) ? stored.get(entry.key()).name() : null;
            return new CatalogEntry(entry.repository(), branch, entry.privateRepository());
        }).toList();
    }

    private static Instant readAt(Map<String, DefaultBranch> stored, CatalogEntry entry) {
        DefaultBranch branch = stored.get(entry.key());
        return branch == null ? null : branch.readAt();
    }

    private ScrapeResult apply(String credentialId, List<CatalogEntry> listed, Set<String> defaultBranchRead) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Change> changes = store.apply(credentialId, listed, defaultBranchRead, now, found -> publish(credentialId, found, now))
                .await().atMost(STORE_WAIT);
        return ScrapeResult.of(credentialId, listed.size(), changes);
    }

    private Uni<Void> publish(String credentialId, List<Change> changes, Instant now) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> acknowledged = changes.stream().map(change -> {
            String id = UUID.randomUUID().toString();
            RepositoryCatalogEvent event = new RepositoryCatalogEvent(id, credentialId, change.type(), change.entry().repository(),
                    change.entry().mainBranch(), change.entry().privateRepository(), now);
            return Uni.createFrom().completionStage(() -> publisher.publish(EventType.REPOSITORY_CATALOG,
                    catalogKey(credentialId, change.entry().key()), CloudEventHeaders.of(id, EventType.REPOSITORY_CATALOG, SOURCE, now),
                    event));
        }).toList();
        // a send may block while the topic's metadata is fetched: not on the database's event loop
        return Uni.join().all(acknowledged).andFailFast().replaceWithVoid().runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The record key on {@code repositories.catalog.v1}: compaction keeps the latest record per (credential, repository). */
    public static String catalogKey(String credentialId, String repositoryKey) {
        return credentialId + "/" + repositoryKey;
    }

    private static CatalogEntry entry(Authorization authorization, DiscoveredRepository repository) {
        Provider provider = authorization.provider();
        String host = provider == Provider.BITBUCKET_CLOUD ? CLOUD_HOST : RepositoryRef.hostOf(authorization.apiBaseUrl());
        return new CatalogEntry(RepositoryRef.of(provider, host, repository.owner(), repository.slug(), repository.name(),
                repository.htmlUrl(), repository.cloneUrls()), repository.mainBranch(), repository.privateRepository());
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }
}
