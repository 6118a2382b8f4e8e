package io.bitbridge.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The gateway's own settings ({@code bitbridge.gateway.*} in application.properties). */
@ConfigMapping(prefix = "bitbridge.gateway")
public interface GatewayConfig {

    /** Largest webhook body accepted; Bitbucket itself caps payloads at 256 KB. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * The longest a webhook body may take to arrive, from its headers to its last byte; then 408 and the connection is
     * closed. Bitbucket sends a body at once, so only a stalled or hostile sender meets it. At most 10 s.
     */
    @WithDefault("5s")
    Duration bodyReadTimeout();

    Deliveries deliveries();

    /**
     * Every delivery is answered within this time of its arrival, whatever its dependencies do. Bitbucket gives up
     * after 10 s measured at its end, which includes the network and the connection, so this leaves it room.
     */
    @WithDefault("8s")
    Duration answerWithin();

    /** Seconds a sender is told to wait ({@code Retry-After}) when a dependency is down. */
    @WithDefault("10")
    int retryAfterSeconds();

    Secrets secrets();

    /**
     * The cache of webhook secrets. A credential's secrets are refreshed in the background once they are
     * {@code refresh-after} old (the old ones keep serving meanwhile), and served stale for at most
     * {@code serve-stale-for} while credential-service cannot be reached, so an outage of credential-service does not
     * become an outage of webhook intake. "No such credential" is kept for {@code unknown-for}. Cache misses call
     * credential-service at most {@code misses-per-second} on average ({@code miss-burst} at once): beyond that a
     * delivery for a credential not in the cache is answered 503 with Retry-After, so random ids in webhook URLs
     * cannot turn into load on credential-service.
     */
    interface Secrets {
        @WithDefault("5m")
        Duration refreshAfter();

        @WithDefault("1h")
        Duration serveStaleFor();

        @WithDefault("1m")
        Duration unknownFor();

        @WithDefault("10000")
        int maximumSize();

        @WithDefault("20")
        int missesPerSecond();

        @WithDefault("50")
        int missBurst();
    }

    interface Deliveries {
        /** How many deliveries are kept per credential (older ones are pruned); refused ones are kept apart. */
        @WithDefault("200")
        int keepPerCredential();

        /** How many refused deliveries (4xx: forged, unknown, malformed) are kept per credential, apart from the rest. */
        @WithDefault("50")
        int keepRefusedPerCredential();
    }
}
