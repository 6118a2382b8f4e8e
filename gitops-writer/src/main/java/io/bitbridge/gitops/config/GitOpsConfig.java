package io.bitbridge.gitops.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** gitops-writer's settings ({@code bitbridge.gitops.*}). */
@ConfigMapping(prefix = "bitbridge.gitops")
public interface GitOpsConfig {
    /** Retries after the branch moved under a commit (409 / non-fast-forward) before the request fails. */
    @WithDefault("5")
    int maxRetries();

    /** First wait before a retry; doubled each time up to {@link #retryBackoffMax()}, with full jitter. */
    @WithDefault("PT0.05S")
    Duration retryBackoff();

    @WithDefault("PT1S")
    Duration retryBackoffMax();

    /** How long the commit API waits for the result before answering 202 with the result's URL. */
    @WithDefault("PT20S")
    Duration resultWait();

    /**
     * The largest file whose content a gitops.sync.v1 event carries; a larger one is named with no content (read it at
     * the event's {@code toHash}). Keeps events well below Kafka's record size.
     */
    @WithDefault("262144")
    long syncMaxFileBytes();

    /** Bare git repositories, one per Bitbucket Server / Data Center remote: a cache (deleting it costs a full fetch). */
    Path cacheDir();
}
