package io.bitbridge.callguard;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one way Bitbridge calls an outside system, built on SmallRye Fault Tolerance's programmatic {@link Guard}. Every
 * attempt runs under the endpoint's circuit breaker and the attempt timeout; a repeatable call (a read, an idempotent
 * write) is retried around that with {@link RetryAfterBackoff}, so the breaker sees each attempt and an open breaker
 * stops the retries. An endpoint is any key the client chooses (Bitbucket: {@code scheme://host:port} of its API); its
 * breaker is made on first use and shared by every caller of this instance.
 * <p>
 * Calls block: run them on a worker thread. They throw what the attempt threw, {@link CircuitOpenException} when the
 * breaker refused the call (nothing was sent), or {@link AttemptTimedOutException}.
 */
public final class EndpointGuards {

    /** Told when an endpoint's breaker is made and when it changes state (logs, metrics). */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void created(String endpoint) {
        }

        default void stateChanged(String endpoint, CircuitBreakerState state) {
        }
    }

    private final String system;
    private final CallPolicy policy;
    private final FailureKinds failures;
    private final Listener listener;
    private final Guard retries;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    public EndpointGuards(String system, CallPolicy policy, FailureKinds failures) {
        this(system, policy, failures, Listener.NONE);
    }

    /** {@code system} names the guarded system in SmallRye's descriptions (e.g. "Bitbucket", "Jenkins"). */
    public EndpointGuards(String system, CallPolicy policy, FailureKinds failures, Listener listener) {
        this.system = system;
        this.policy = policy;
        this.failures = failures;
        this.listener = listener;
        this.retries = Guard.create()
                .withDescription(system + " retries")
                .withRetry()
                .maxRetries(policy.maxRetries())
                .delay(policy.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS) // RetryAfterBackoff jitters itself
                .maxDuration(policy.attemptTimeout().multipliedBy(policy.maxRetries() + 1L).plus(policy.maxRetryAfter()
                        .multipliedBy(policy.maxRetries())).toMillis() + 1, ChronoUnit.MILLIS)
                .whenException(this::transientFailure)
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(policy, failures)).done()
                .done()
                .build();
    }

    /**
     * One call to {@code endpoint}: {@code attempt} runs once, and again after transient failures when {@code repeatable}
     * (never for a request that could do its work twice, such as a POST that creates something).
     */
    public <T> T call(String endpoint, boolean repeatable, Supplier<T> attempt) {
        Endpoint guarded = endpoints.computeIfAbsent(endpoint, this::newEndpoint);
        Supplier<Object> once = () -> guarded.guard.get(attempt::get, Object.class);
        try {
            @SuppressWarnings("unchecked")
            T result = (T) (repeatable ? retries.get(once, Object.class) : once.get());
            return result;
        } catch (CircuitBreakerOpenException e) {
            throw new CircuitOpenException(system, endpoint, guarded.untilTrial(policy.breaker().delay()), e);
        } catch (TimeoutException e) {
            throw new AttemptTimedOutException(system, endpoint, policy.attemptTimeout(), e);
        }
    }

    /** The breaker's state for this endpoint; CLOSED when it was never called. */
    public CircuitBreakerState state(String endpoint) {
        Endpoint guarded = endpoints.get(endpoint);
        return guarded == null ? CircuitBreakerState.CLOSED : guarded.state;
    }

    public Set<String> endpoints() {
        return Set.copyOf(endpoints.keySet());
    }

    public CallPolicy policy() {
        return policy;
    }

    private boolean transientFailure(Throwable failure) {
        return failure instanceof TimeoutException || failures.transientFailure(failure);
    }

    private Endpoint newEndpoint(String endpoint) {
        Endpoint guarded = new Endpoint();
        CallPolicy.Breaker breaker = policy.breaker();
        guarded.guard = Guard.create()
                .withDescription(system + " " + endpoint)
                .withCircuitBreaker()
                .when(this::transientFailure)
                .requestVolumeThreshold(breaker.requestVolumeThreshold())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .onStateChange(state -> {
                    if (state == CircuitBreakerState.OPEN) {
                        guarded.openedAt = Instant.now();
                    }
                    guarded.state = state;
                    listener.stateChanged(endpoint, state);
                })
                .done()
                .withTimeout().duration(policy.attemptTimeout().toMillis(), ChronoUnit.MILLIS).done()
                .build();
        listener.created(endpoint);
        return guarded;
    }

    private static final class Endpoint {
        private Guard guard;
        private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
        private volatile Instant openedAt = Instant.now();

        /** Time left until the open breaker lets a trial attempt through; at least a second. */
        Duration untilTrial(Duration delay) {
            Duration left = Duration.between(Instant.now(), openedAt.plus(delay));
            return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
        }
    }
}
