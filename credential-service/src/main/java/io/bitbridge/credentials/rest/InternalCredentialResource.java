package io.bitbridge.credentials.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.credentials.service.AccessService;
import io.bitbridge.credentials.service.Kinds;
import io.bitbridge.credentials.service.WebhookService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * What other Bitbridge services ask for: webhook secrets (scope {@link Roles#READ_WEBHOOK_SECRETS}, the gateway) and
 * ready-to-use authorization (scope {@link Roles#READ_AUTHORIZATIONS}, the services calling Bitbucket); each endpoint
 * also checks the caller's identity ({@link InternalCallers}).
 */
@Path(InternalCredentialApi.ROOT)
@Produces(MediaType.APPLICATION_JSON)
public class InternalCredentialResource {
    private final WebhookService webhooks;
    private final AccessService access;
    private final InternalCallers callers;

    InternalCredentialResource(WebhookService webhooks, AccessService access, InternalCallers callers) {
        this.webhooks = webhooks;
        this.access = access;
        this.callers = callers;
    }

    @GET
    @Path(InternalCredentialApi.WEBHOOK_SECRETS)
    @RolesAllowed(Roles.READ_WEBHOOK_SECRETS)
    public Uni<WebhookSecrets> webhookSecrets(@PathParam("id") String id) {
        callers.requireWebhookSecretReader();
        return webhooks.secrets(CredentialResource.uuid(id));
    }

    /** The {@code Authorization} header value (an OAuth token refreshed first when due), and what git over HTTPS needs. */
    @POST
    @Path(InternalCredentialApi.AUTHORIZATION)
    @RolesAllowed(Roles.READ_AUTHORIZATIONS)
    public Uni<Authorization> authorization(@PathParam("id") String id) {
        callers.requireAuthorizationReader();
        return access.access(CredentialResource.uuid(id)).map(ready -> {
            var c = ready.credential();
            return new Authorization(ready.authorization(), c.accessTokenExpiresAt, c.apiBaseUrl,
                    Kinds.gitUsername(c.kind, c.username, c.accountUsername), ready.secret(), c.caPem, c.tlsInsecure, c.kind,
                    c.kind.provider());
        });
    }
}
