package io.bitbridge.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** credential-service's internal API, as far as the gateway uses it. */
@RegisterRestClient(configKey = "credential-service")
@Path("/internal/credentials")
public interface CredentialServiceClient {

    /** 404 for an unknown credential. Needs a bearer token with the {@code service} role. */
    @GET
    @Path("/{id}/webhook-secrets")
    @Produces(MediaType.APPLICATION_JSON)
    WebhookSecrets webhookSecrets(@PathParam("id") String credentialId, @HeaderParam("Authorization") String authorization);
}
