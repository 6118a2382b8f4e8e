package io.bitbridge.credentialclient;

import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.credentialapi.WebhookSecrets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * credential-service's internal API ({@link InternalCredentialApi}). Every call needs a bearer token with the
 * {@code service} role ({@code ServiceTokens}). Callers go through a guarded bean ({@link CredentialAuthorizations},
 * or the gateway's secrets fetcher), never through this interface directly.
 */
@RegisterRestClient(configKey = "credential-service")
@Path(InternalCredentialApi.ROOT)
public interface CredentialServiceClient {

    /** 404 for an unknown credential. */
    @GET
    @Path(InternalCredentialApi.WEBHOOK_SECRETS)
    @Produces(MediaType.APPLICATION_JSON)
    WebhookSecrets webhookSecrets(@PathParam("id") String credentialId, @HeaderParam("Authorization") String authorization);

    /** 404 for an unknown credential, 409 when it needs reconnecting; an OAuth token is refreshed first when due. */
    @POST
    @Path(InternalCredentialApi.AUTHORIZATION)
    @Produces(MediaType.APPLICATION_JSON)
    Authorization authorization(@PathParam("id") String credentialId, @HeaderParam("Authorization") String authorization);
}
