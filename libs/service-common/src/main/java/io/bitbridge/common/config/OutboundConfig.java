package io.bitbridge.common.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;
import java.util.Set;

/**
 * What a service may call on a credential's behalf ({@code bitbridge.outbound.*}): base URLs are {@code https}
 * on public addresses unless a host is allow-listed, and answers are read up to a size cap.
 */
@ConfigMapping(prefix = "bitbridge.outbound")
public interface OutboundConfig {

    /** Hosts (as written in a base URL) that may be called over plain {@code http}; the sandbox and tests list loopback. */
    Optional<Set<String>> httpAllowedHosts();

    /**
     * Hosts that may resolve to loopback, link-local or private addresses, e.g. a Bitbucket Data Center inside the
     * company network; every other host must resolve to public addresses only.
     */
    Optional<Set<String>> privateAllowedHosts();

    /** The largest answer read from Bitbucket; Bitbucket's pages are far smaller. */
    @WithDefault("8M")
    MemorySize maxResponseSize();
}
