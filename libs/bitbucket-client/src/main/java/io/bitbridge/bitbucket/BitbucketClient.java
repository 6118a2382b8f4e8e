package io.bitbridge.bitbucket;

import io.bitbridge.bitbucket.cloud.CloudClient;
import io.bitbridge.bitbucket.server.ServerClient;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.events.Provider;

import java.util.Optional;

/**
 * What Bitbridge asks of either Bitbucket product, in neutral terms; {@link CloudClient} and {@link ServerClient}
 * translate to Cloud 2.0 and Server 1.0. Calls block and throw {@link BitbucketApiException} when Bitbucket
 * answers with an error (its own reason inside), {@link BitbucketUnreachableException} when it cannot be reached
 * ({@link BitbucketCircuitOpenException} when the endpoint's circuit breaker stopped the request).
 */
public interface BitbucketClient {

    /** A client guarded by {@link BitbucketCalls#defaultGuards()}. */
    static BitbucketClient of(Provider provider, BitbucketEndpoint endpoint) {
        return of(provider, endpoint, BitbucketCalls.defaultGuards());
    }

    /** A client whose every request goes through {@code guards} (a service's own, see {@link BitbucketCalls#guards}). */
    static BitbucketClient of(Provider provider, BitbucketEndpoint endpoint, EndpointGuards guards) {
        return switch (provider) {
            case BITBUCKET_CLOUD -> new CloudClient(endpoint, guards);
            case BITBUCKET_SERVER -> new ServerClient(endpoint, guards);
        };
    }

    /** The account the credential authenticates as; a wrong secret gives a 401 {@link BitbucketApiException}. */
    BitbucketAccount currentAccount(Optional<String> username);

    /**
     * Create-or-update, idempotent: finds the repository's hook with {@code spec.url()}; creates it when absent,
     * otherwise fixes only what differs, never adds a second one. Bitbucket Cloud never returns a hook's secret,
     * so {@code secretChanged} says whether the secret we hold differs from the one last set on the hook.
     */
    WebhookRegistration ensureWebhook(String owner, String repo, WebhookSpec spec, boolean secretChanged);

    /** Deletes the repository's hook with this URL; false when there was none. */
    boolean deleteWebhook(String owner, String repo, String url);
}
