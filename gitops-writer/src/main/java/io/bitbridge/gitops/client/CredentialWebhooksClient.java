package io.bitbridge.gitops.client;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * credential-service's admin API for a repository's webhook: {@code PUT /api/credentials/{id}/webhooks/{owner}/{repo}}
 * registers Bitbridge's webhook (or leaves a matching one as it is). Its own config key: registration calls Bitbucket,
 * so it gets a longer read timeout than the internal API.
 */
@RegisterRestClient(configKey = "credential-service-webhooks")
@Path("/api/credentials")
public interface CredentialWebhooksClient {

    @PUT
    @Path("{id}/webhooks/{owner}/{repo}")
    @Produces(MediaType.APPLICATION_JSON)
    Response register(@PathParam("id") String credentialId, @PathParam("owner") String owner, @PathParam("repo") String repo,
                      @HeaderParam("Authorization") String authorization);
}
