package io.bitbridge.gitops.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;

/**
 * Asks credential-service to register the webhook of a target's repository, so pushes to it reach Bitbridge with no
 * manual step. credential-service's endpoint is for admins; the call carries the bearer token of the admin who
 * attached the target. Guarded: timeout, a few jittered retries of transient failures, a circuit breaker.
 */
@ApplicationScoped
public class WebhookAttacher {
    /** The registration's outcome in a word or a reason, kept on the target. */
    public static final String REGISTERED = "registered";

    private final CredentialWebhooksClient client;

    WebhookAttacher(@RestClient CredentialWebhooksClient client) {
        this.client = client;
    }

    /** credential-service refused the registration (4xx): asking again does not help. */
    public static class RegistrationRefusedException extends RuntimeException {
        RegistrationRefusedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Blocking. Returns {@link #REGISTERED}, or throws with the reason. */
    @Timeout(value = 15, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 200, abortOn = RegistrationRefusedException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = RegistrationRefusedException.class)
    public String register(String credentialId, String owner, String repo, String callerAuthorization) {
        try (Response response = client.register(credentialId, owner, repo, callerAuthorization)) {
            return REGISTERED;
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status < 500 && status != 429) {
                throw new RegistrationRefusedException("credential-service refused the webhook registration: HTTP " + status);
            }
            throw new IllegalStateException("credential-service answered HTTP " + status);
        } catch (ProcessingException e) {
            throw new IllegalStateException("credential-service unreachable: " + e.getClass().getSimpleName());
        }
    }
}
