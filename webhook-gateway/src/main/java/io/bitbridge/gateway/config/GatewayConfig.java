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

    interface Deliveries {
        /** How many deliveries are kept per credential (older ones are pruned). */
        @WithDefault("200")
        int keepPerCredential();
    }
}
