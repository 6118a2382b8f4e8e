package io.bitbridge.credentials.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything credential-service reads from configuration, under {@code bitbridge.credentials}. */
@ConfigMapping(prefix = "bitbridge.credentials")
public interface CredentialsConfig {

    /** Where Bitbucket reaches Bitbridge: webhook URLs and the OAuth callback are built from it. */
    String publicBaseUrl();

    /**
     * Where browsers reach this service's {@code /oauth/**}: the OAuth callback is this plus
     * {@code /oauth/bitbucket-cloud/callback}, to be registered with the Bitbucket OAuth consumer. Without it,
     * {@link #publicBaseUrl()}, for a public host whose proxy routes {@code /oauth/} here and {@code /webhooks/} to the
     * gateway (deploy/kubernetes/bitbridge.yaml). The binding cookie is {@code Secure} when this is https.
     */
    Optional<String> oauthPublicUrl();

    /** Bitbridge's own user interface, if any: the page the consent flow ends on links to it. */
    Optional<String> uiUrl();

    /**
     * How long the previous webhook secret stays valid after a rotation, so deliveries in flight and hooks that could not
     * be updated still verify. A second rotation is refused (409) until it has passed.
     */
    @WithDefault("PT1H")
    Duration webhookSecretOverlap();

    /**
     * How long a rotation waits between staging the next secret (announced on {@code credentials.lifecycle.v1}) and
     * giving it to the first hook: longer than the gateways take to read the event and fetch their secrets again.
     */
    @WithDefault("PT10S")
    Duration webhookSecretPropagation();

    /** An OAuth access token is refreshed when it expires within this window. */
    @WithDefault("PT5M")
    Duration refreshBeforeExpiry();

    CloudOAuth cloudOauth();

    /** How often events left in the outbox (Kafka was away) are tried again; read by the relay's schedule. */
    @WithDefault("10s")
    Duration outboxRelayInterval();

    /** The circuit breaker per Bitbucket endpoint (see {@code BitbucketGuards}). */
    Breaker bitbucketBreaker();

    interface Breaker {
        /** How many of the latest requests to one endpoint are looked at (the rolling window). */
        @WithDefault("10")
        int requestVolumeThreshold();

        /** Share of outages in the window (429, 5xx, connection errors, timeouts) that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker fails requests at once before letting a trial one through. */
        @WithDefault("PT30S")
        Duration delay();

        /** Trial requests that must succeed in a row to close it again. */
        @WithDefault("1")
        int successThreshold();
    }

    interface CloudOAuth {
        /** The OAuth consumer's key; without it the consent flow answers 503. */
        Optional<String> clientId();

        Optional<String> clientSecret();

        @WithDefault("https://bitbucket.org/site/oauth2/authorize")
        String authorizeUrl();

        @WithDefault("https://bitbucket.org/site/oauth2/access_token")
        String tokenUrl();

        @WithDefault("https://api.bitbucket.org")
        String apiBaseUrl();

        /** How long a consent link ({@code /oauth/bitbucket-cloud/begin?ticket=}) may wait for a browser to open it. */
        @WithDefault("PT5M")
        Duration ticketLifetime();

        /** How long a consent {@code state} may wait for its callback. */
        @WithDefault("PT10M")
        Duration stateLifetime();
    }
}
