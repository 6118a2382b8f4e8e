package io.bitbridge.credentials.client;

import io.bitbridge.bitbucket.BaseUrlPolicy;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.common.config.OutboundConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Set;

/**
 * Where credential-service may send a credential ({@link BaseUrlPolicy} from {@link OutboundConfig}) and the endpoints it
 * calls, with the configured size cap and that policy (checked again by every request). The check resolves host names, so
 * it runs on worker threads only.
 */
@ApplicationScoped
public class Outbound {
    private final BaseUrlPolicy policy;
    private final long maxResponseBytes;

    Outbound(OutboundConfig config) {
        this.policy = new BaseUrlPolicy(config.httpAllowedHosts().orElse(Set.of()), config.privateAllowedHosts().orElse(Set.of()));
        this.maxResponseBytes = config.maxResponseSize().asLongValue();
    }

    public BitbucketEndpoint endpoint(String apiBaseUrl, String authorization, String caPem, boolean insecureTls) {
        return new BitbucketEndpoint(URI.create(apiBaseUrl), authorization, caPem, insecureTls, maxResponseBytes, policy);
    }

    /** A 400 problem naming {@code field} and what is wrong with it, unless {@code url} may be a base URL. Blocks (DNS). */
    public void requireAllowed(String field, URI url) {
        policy.refusal(url).ifPresent(refusal -> {
            throw new ProblemException("base-url-refused", "Base URL refused", 400, field + " " + refusal + ".");
        });
    }

    /** Before a call with a stored credential: its host may since resolve elsewhere. A 422 problem when refused. Blocks (DNS). */
    public void requireStillAllowed(BitbucketEndpoint endpoint) {
        policy.refusal(endpoint.apiBaseUrl()).ifPresent(refusal -> {
            throw new ProblemException("base-url-refused", "Base URL refused", 422, "The credential's base URL " + refusal + ".");
        });
    }
}
