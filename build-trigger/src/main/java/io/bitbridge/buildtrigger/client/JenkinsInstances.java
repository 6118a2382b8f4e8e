package io.bitbridge.buildtrigger.client;

import io.bitbridge.buildtrigger.config.TriggerConfig;
import io.bitbridge.callguard.CallPolicy;
import io.bitbridge.callguard.EndpointGuards;
import io.bitbridge.callguard.FailureKinds;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** The configured Jenkins instances by name, sharing one set of guards (a breaker per instance). */
@ApplicationScoped
public class JenkinsInstances {
    private static final Logger LOG = Logger.getLogger(JenkinsInstances.class);
    static final FailureKinds FAILURES = failure -> failure instanceof JenkinsCallException call && call.transientFailure();

    private final TriggerConfig config;
    private final EndpointGuards guards;
    private final Map<String, JenkinsClient> clients = new ConcurrentHashMap<>();

    JenkinsInstances(TriggerConfig config) {
        this.config = config;
        TriggerConfig.Jenkins jenkins = config.jenkins();
        CallPolicy policy = new CallPolicy(jenkins.attemptTimeout(), jenkins.maxRetries(), jenkins.initialBackoff(),
                jenkins.maxBackoff(), jenkins.maxBackoff(),
                new CallPolicy.Breaker(jenkins.breakerWindow(), 0.5, jenkins.breakerDelay(), 1));
        this.guards = new EndpointGuards("Jenkins", policy, FAILURES, new EndpointGuards.Listener() {
            @Override
            public void stateChanged(String endpoint, io.smallrye.faulttolerance.api.CircuitBreakerState state) {
                LOG.infof("Jenkins %s circuit %s", endpoint, state);
            }
        });
    }

    public Optional<JenkinsClient> named(String name) {
        TriggerConfig.Instance instance = config.instances().get(name);
        return instance == null ? Optional.empty()
                : Optional.of(clients.computeIfAbsent(name, n -> new JenkinsClient(n, instance, guards)));
    }
}
