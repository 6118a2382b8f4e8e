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

    /** Where the consent flow sends people back to, with {@code ?credential=} or {@code ?bitbucket_error=}. */
    String uiUrl();

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

        /** How long a consent {@code state} may wait for its callback. */
        @WithDefault("PT10M")
        Duration stateLifetime();
    }
}
