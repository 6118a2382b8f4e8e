package io.bitbridge.scraper.client;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.DiscoveredRepository;
import io.bitbridge.bitbucket.RepositoryBranches;
import io.bitbridge.bitbucket.cloud.CloudHistory;
import io.bitbridge.bitbucket.cloud.CloudRepositories;
import io.bitbridge.bitbucket.server.ServerHistory;
import io.bitbridge.bitbucket.server.ServerRepositories;
import io.bitbridge.callguard.CallPolicy;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.callguard.FailureKinds;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.BitbucketEndpoints;
import io.bitbridge.events.Provider;
import io.bitbridge.scraper.config.ScraperConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bitbucket readers for one credential: its requests paced by the credential's budget and 429 backoff
 * ({@link CredentialPacing}), then guarded per Bitbucket origin (timeouts, retries of 5xx and connection failures
 * with backoff and jitter, circuit breaker). A 429 is the credential's limit, not the host failing: it is left to the
 * pacing, so it neither retries in the guards nor opens the host's breaker for every other credential.
 */
@ApplicationScoped
public class BitbucketReaders {
    static final FailureKinds FAILURES_BUT_RATE_LIMITS = new FailureKinds() {
        @Override
        public boolean transientFailure(Throwable failure) {
            return !(failure instanceof BitbucketApiException api && api.status() == 429)
                    && BitbucketCalls.FAILURES.transientFailure(failure);
        }

        @Override
        public Optional<Duration> retryAfter(Throwable failure) {
            return BitbucketCalls.FAILURES.retryAfter(failure);
        }
    };

    private final EndpointGuards guards = new EndpointGuards("Bitbucket", CallPolicy.defaults(), FAILURES_BUT_RATE_LIMITS);
    private final Map<String, CredentialPacing> pacings = new ConcurrentHashMap<>();
    private final ScraperConfig config;
    private final BitbucketEndpoints endpoints;

    BitbucketReaders(ScraperConfig config, BitbucketEndpoints endpoints) {
        this.config = config;
        this.endpoints = endpoints;
    }

    public CloudHistory cloud(String credentialId, Authorization authorization) {
        return new CloudHistory(endpoint(authorization), guards, pacing(credentialId));
    }

    public ServerHistory server(String credentialId, Authorization authorization) {
        return new ServerHistory(endpoint(authorization), guards, pacing(credentialId));
    }

    /**
     * Every repository the credential lists: Cloud, every page of every workspace it reaches; Server / Data Center,
     * every page of {@code /rest/api/1.0/repos}. Throws when any page fails, so a partial listing is never returned.
     */
    public List<DiscoveredRepository> repositories(String credentialId, Authorization authorization) {
        return authorization.provider() == Provider.BITBUCKET_CLOUD
                ? new CloudRepositories(endpoint(authorization), guards, pacing(credentialId)).all()
                : new ServerRepositories(endpoint(authorization), guards, pacing(credentialId)).all();
    }

    /** A Server / Data Center repository's default branch; empty when it has none yet (an empty repository). */
    public Optional<String> serverDefaultBranch(String credentialId, Authorization authorization, String projectKey, String slug) {
        return new ServerRepositories(endpoint(authorization), guards, pacing(credentialId)).defaultBranch(projectKey, slug);
    }

    /** A repository's branches as Bitbucket lists them now, at most {@code cap}. */
    public RepositoryBranches branches(String credentialId, Authorization authorization, String owner, String slug, int cap) {
        return authorization.provider() == Provider.BITBUCKET_CLOUD
                ? new CloudRepositories(endpoint(authorization), guards, pacing(credentialId)).branches(owner, slug, cap)
                : new ServerRepositories(endpoint(authorization), guards, pacing(credentialId)).branches(owner, slug, cap);
    }

    private CredentialPacing pacing(String credentialId) {
        return pacings.computeIfAbsent(credentialId, id -> new CredentialPacing(config, System::nanoTime));
    }

    private BitbucketEndpoint endpoint(Authorization authorization) {
        return endpoints.of(authorization);
    }
}
