package io.bitbridge.gateway.client;

import io.bitbridge.common.auth.ServiceTokens;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.credentialclient.CredentialServiceClient;
import io.bitbridge.credentialclient.CredentialServiceUnavailableException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One guarded call to credential-service: a timeout, a few jittered retries and a circuit breaker, so a
 * slow or dead credential-service costs a delivery seconds, not Bitbucket's whole 10 s budget.
 * An unknown credential is an answer (empty), not a failure: it is neither retried nor counted.
 */
@ApplicationScoped
public class WebhookSecretsFetcher {
    private final CredentialServiceClient client;
    private final ServiceTokens serviceTokens;

    WebhookSecretsFetcher(@RestClient CredentialServiceClient client, ServiceTokens serviceTokens) {
        this.client = client;
        this.serviceTokens = serviceTokens;
    }

    /** The first delivery must not wait for the token issuer on top of credential-service. */
    void getATokenAtStart(@Observes StartupEvent started) {
        serviceTokens.prefetch();
    }

    // At most 1.5 + 0.3 + 1.5 s on a miss, so a slow credential-service still leaves Kafka most of the answer deadline.
    @Timeout(value = 1500, unit = ChronoUnit.MILLIS)
    @Retry(maxRetries = 1, delay = 200, jitter = 100)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS)
    public Optional<WebhookSecrets> fetch(String credentialId) {
        try {
            WebhookSecrets secrets = client.webhookSecrets(credentialId, serviceTokens.authorizationHeader());
            if (secrets == null || secrets.current() == null || secrets.current().isEmpty() || secrets.provider() == null) {
                throw new CredentialServiceUnavailableException("credential-service answered without a current secret or provider");
            }
            return Optional.of(secrets);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw new CredentialServiceUnavailableException("credential-service answered HTTP " + e.getResponse().getStatus());
        } catch (ProcessingException e) {
            throw new CredentialServiceUnavailableException("credential-service unreachable: " + e.getClass().getSimpleName());
        }
    }
}
