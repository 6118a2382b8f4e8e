package io.bitbridge.scraper.discovery;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every {@code bitbridge.scraper.discovery.check-every}, scrapes each credential that is up and whose last scrape
 * started more than {@code bitbridge.scraper.discovery.interval} ago (claimed in the database, so one instance takes
 * each). {@code check-every=off} turns the schedule off.
 */
@ApplicationScoped
class DiscoverySchedule {
    private final RepositoryDiscovery discovery;

    DiscoverySchedule(RepositoryDiscovery discovery) {
        this.discovery = discovery;
    }

    @Scheduled(every = "${bitbridge.scraper.discovery.check-every:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scrapeDue() {
        return discovery.scrapeDue().replaceWithVoid();
    }
}
