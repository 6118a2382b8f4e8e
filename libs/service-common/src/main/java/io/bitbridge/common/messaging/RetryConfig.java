package io.bitbridge.common.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How {@link IncomingEvents} retries a failing handler before the record goes to its dead-letter topic. */
@ConfigMapping(prefix = "bitbridge.messaging.retry")
public interface RetryConfig {
    /** Handler runs per record, the first included; 1 = no retry. */
    @WithDefault("5")
    int maxAttempts();

    /** Pause before the first retry; each later one doubles it, up to {@link #maxBackoff()}. */
    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("10s")
    Duration maxBackoff();

    /** Each pause is varied by up to this fraction, so consumers that failed together do not retry in step. */
    @WithDefault("0.5")
    double jitter();
}
