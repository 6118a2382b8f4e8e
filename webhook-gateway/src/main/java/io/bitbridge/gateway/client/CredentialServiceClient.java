package io.bitbridge.gateway.client;

import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.credentialapi.WebhookSecrets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** credential-service's internal API ({@link InternalCredentialApi}), as far as the gateway uses it. */
@RegisterRestClient(configKey = "credential-service")
@Path(InternalCredentialApi.ROOT)
public interface CredentialServiceClient {

    /** 404 for an unknown credential. Needs a bearer token with the {@code service} role. */
    @GET
    @Path(InternalCredentialApi.WEBHOOK_SECRETS)
    @Produces(MediaType.APPLICATION_JSON)
    WebhookSecrets webhookSecrets(@PathParam("id") String credentialId, @HeaderParam("Authorization") String authorization);
}
