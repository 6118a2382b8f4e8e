package io.bitbridge.credentials.client;

import io.bitbridge.bitbucket.BitbucketCallGuard;
import io.bitbridge.bitbucket.BitbucketCircuitOpenException;
import io.bitbridge.credentials.config.CredentialsConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One SmallRye Fault Tolerance circuit breaker per Bitbucket endpoint (origin of its API base URL), shared by every
 * credential that calls it, made on first use. It counts only outages ({@link BitbucketCallGuard#isOutage}); while
 * open, requests fail at once with {@link BitbucketCircuitOpenException} instead of waiting for timeouts. The state
 * is the gauge {@code bitbridge.bitbucket.circuit.state{endpoint,state}} (1 for the current state, else 0).
 */
@ApplicationScoped
public class BitbucketBreakers implements BitbucketCallGuard {
    private static final Logger LOG = Logger.getLogger(BitbucketBreakers.class);
    static final String GAUGE = "bitbridge.bitbucket.circuit.state";

    private final CredentialsConfig.Breaker config;
    private final MeterRegistry meters;
    private final Map<String, Breaker> byOrigin = new ConcurrentHashMap<>();

    BitbucketBreakers(CredentialsConfig config, MeterRegistry meters) {
        this.config = config.bitbucketBreaker();
        this.meters = meters;
    }

    @Override
    public <T> T call(String origin, Supplier<T> attempt) {
        Breaker breaker = byOrigin.computeIfAbsent(origin, this::newBreaker);
        try {
            @SuppressWarnings("unchecked")
            T result = (T) breaker.guard.get(attempt::get, Object.class);
            return result;
        } catch (CircuitBreakerOpenException e) {
            throw new BitbucketCircuitOpenException(origin, breaker.untilTrial(config.delay()), e);
        }
    }

    /** The breaker's state for this endpoint; CLOSED when it was never called. */
    public CircuitBreakerState state(String origin) {
        Breaker breaker = byOrigin.get(origin);
        return breaker == null ? CircuitBreakerState.CLOSED : breaker.state;
    }

    private Breaker newBreaker(String origin) {
        Breaker breaker = new Breaker();
        breaker.guard = Guard.create()
                .withDescription("Bitbucket " + origin)
                .withCircuitBreaker()
                .when(BitbucketCallGuard::isOutage)
                .requestVolumeThreshold(config.requestVolumeThreshold())
                .failureRatio(config.failureRatio())
                .delay(config.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(config.successThreshold())
                .onStateChange(state -> {
                    if (state == CircuitBreakerState.OPEN) {
                        breaker.openedAt = Instant.now();
                        LOG.warnf("Bitbucket at %s keeps failing: circuit open, requests to it fail at once for %s", origin, config.delay());
                    } else if (state == CircuitBreakerState.CLOSED) {
                        LOG.infof("Bitbucket at %s answers again: circuit closed", origin);
                    }
                    breaker.state = state;
                })
                .done()
                .build();
        for (CircuitBreakerState state : CircuitBreakerState.values()) {
            Gauge.builder(GAUGE, breaker, b -> b.state == state ? 1 : 0)
                    .description("1 when the circuit breaker of this Bitbucket endpoint is in this state")
                    .tag("endpoint", origin)
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .strongReference(true)
                    .register(meters);
        }
        return breaker;
    }

    private static final class Breaker {
        private Guard guard;
        private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
        private volatile Instant openedAt = Instant.now();

        /** Time left until the open breaker lets a trial request through; at least a second. */
        Duration untilTrial(Duration delay) {
            Duration left = Duration.between(Instant.now(), openedAt.plus(delay));
            return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
        }
    }
}
