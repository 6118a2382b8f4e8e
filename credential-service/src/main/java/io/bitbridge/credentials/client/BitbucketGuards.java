package io.bitbridge.credentials.client;

import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.callguard.CallPolicy;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Locale;

/**
 * This service's {@link EndpointGuards} for Bitbucket: the default timeouts and retries, the circuit breaker from
 * {@code bitbridge.credentials.bitbucket-breaker.*}, one breaker per endpoint (origin of its API base URL) shared by
 * every credential that calls it. The state is the gauge {@code bitbridge.bitbucket.circuit.state{endpoint,state}}
 * (1 for the current state, else 0).
 */
@ApplicationScoped
public class BitbucketGuards {
    private static final Logger LOG = Logger.getLogger(BitbucketGuards.class);
    static final String GAUGE = "bitbridge.bitbucket.circuit.state";

    private final EndpointGuards guards;

    BitbucketGuards(CredentialsConfig config, MeterRegistry meters) {
        CredentialsConfig.Breaker breaker = config.bitbucketBreaker();
        CallPolicy policy = CallPolicy.defaults().withBreaker(new CallPolicy.Breaker(breaker.requestVolumeThreshold(),
                breaker.failureRatio(), breaker.delay(), breaker.successThreshold()));
        this.guards = BitbucketCalls.guards(policy, new EndpointGuards.Listener() {
            @Override
            public void created(String endpoint) {
                for (CircuitBreakerState state : CircuitBreakerState.values()) {
                    Gauge.builder(GAUGE, () -> guards.state(endpoint) == state ? 1 : 0)
                            .description("1 when the circuit breaker of this Bitbucket endpoint is in this state")
                            .tag("endpoint", endpoint)
                            .tag("state", state.name().toLowerCase(Locale.ROOT))
                            .strongReference(true)
                            .register(meters);
                }
            }

            @Override
            public void stateChanged(String endpoint, CircuitBreakerState state) {
                if (state == CircuitBreakerState.OPEN) {
                    LOG.warnf("Bitbucket at %s keeps failing: circuit open, requests to it fail at once for %s", endpoint, breaker.delay());
                } else if (state == CircuitBreakerState.CLOSED) {
                    LOG.infof("Bitbucket at %s answers again: circuit closed", endpoint);
                }
            }
        });
    }

    public EndpointGuards guards() {
        return guards;
    }

    /** The breaker's state for this endpoint; CLOSED when it was never called. */
    public CircuitBreakerState state(String origin) {
        return guards.state(origin);
    }
}
