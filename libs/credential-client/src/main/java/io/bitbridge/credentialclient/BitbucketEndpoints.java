package io.bitbridge.credentialclient;

import io.bitbridge.bitbucket.BaseUrlPolicy;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.common.config.OutboundConfig;
import io.bitbridge.credentialapi.Authorization;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Set;

/**
 * Where a service calls Bitbucket with a credential's authorization: its base URL under the service's outbound policy
 * ({@code bitbridge.outbound.*}, {@link OutboundConfig}: https on public addresses unless a host is allow-listed) and size
 * cap. credential-service checked the base URL when it was stored; every request made through the endpoint is checked
 * again ({@link io.bitbridge.bitbucket.BitbucketHttp}), so a changed row or a name that now resolves to an internal
 * address is refused unsent.
 */
@ApplicationScoped
public class BitbucketEndpoints {
    private final BaseUrlPolicy policy;
    private final long maxResponseBytes;

    BitbucketEndpoints(OutboundConfig config) {
        this.policy = new BaseUrlPolicy(config.httpAllowedHosts().orElse(Set.of()), config.privateAllowedHosts().orElse(Set.of()));
        this.maxResponseBytes = config.maxResponseSize().asLongValue();
    }

    public BitbucketEndpoint of(Authorization authorization) {
        return new BitbucketEndpoint(URI.create(authorization.apiBaseUrl()), authorization.authorization(), authorization.caBundle(),
                authorization.insecureTls(), maxResponseBytes, policy);
    }

    /** The policy, for calls that do not go through {@link io.bitbridge.bitbucket.BitbucketHttp} (git over HTTP). */
    public BaseUrlPolicy policy() {
        return policy;
    }
}
