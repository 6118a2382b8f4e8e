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

/** What other Bitbridge services ask for (role {@code service}): webhook secrets and ready-to-use authorization. */
@Path(InternalCredentialApi.ROOT)
@Produces(MediaType.APPLICATION_JSON)
public class InternalCredentialResource {
    private final WebhookService webhooks;
    private final AccessService access;

    InternalCredentialResource(WebhookService webhooks, AccessService access) {
        this.webhooks = webhooks;
        this.access = access;
    }

    @GET
    @Path(InternalCredentialApi.WEBHOOK_SECRETS)
    @RolesAllowed(Roles.SERVICE)
    public Uni<WebhookSecrets> webhookSecrets(@PathParam("id") String id) {
        return webhooks.secrets(CredentialResource.uuid(id));
    }

    /** The {@code Authorization} header value (an OAuth token refreshed first when due), and what git over HTTPS needs. */
    @POST
    @Path(InternalCredentialApi.AUTHORIZATION)
    @RolesAllowed(Roles.SERVICE)
    public Uni<Authorization> authorization(@PathParam("id") String id) {
        return access.access(CredentialResource.uuid(id)).map(ready -> {
            var c = ready.credential();
            return new Authorization(ready.authorization(), c.accessTokenExpiresAt, c.apiBaseUrl,
                    Kinds.gitUsername(c.kind, c.username, c.accountUsername), ready.secret(), c.caPem, c.tlsInsecure, c.kind,
                    c.kind.provider());
        });
    }
}
