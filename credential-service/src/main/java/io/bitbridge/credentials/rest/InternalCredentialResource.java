package io.bitbridge.credentials.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.credentials.service.AccessService;
import io.bitbridge.credentials.service.Kinds;
import io.bitbridge.credentials.service.WebhookService;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.Provider;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/** What other Bitbridge services ask for (role {@code service}): webhook secrets and ready-to-use authorization. */
@Path("/internal/credentials/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class InternalCredentialResource {
    private final WebhookService webhooks;
    private final AccessService access;

    InternalCredentialResource(WebhookService webhooks, AccessService access) {
        this.webhooks = webhooks;
        this.access = access;
    }

    /** The contract with webhook-gateway; {@code serverHost} names a Server credential's repositories in event keys. */
    public record WebhookSecrets(String current, String previous, Instant previousValidUntil, boolean acceptUnsignedWithToken,
                                 Provider provider, String serverHost) {
        @Override
        public String toString() {
            return "WebhookSecrets[" + provider + "]";
        }
    }

    public record Authorization(String authorization, Instant expiresAt, String apiBaseUrl, String gitUsername, String gitPassword,
                                String caBundle, boolean insecureTls, CredentialKind kind, Provider provider) {
        @Override
        public String toString() {
            return "Authorization[" + kind + ", " + apiBaseUrl + "]";
        }
    }

    @GET
    @Path("webhook-secrets")
    @RolesAllowed(Roles.SERVICE)
    public Uni<WebhookSecrets> webhookSecrets(@PathParam("id") String id) {
        return webhooks.secrets(CredentialResource.uuid(id)).map(s -> new WebhookSecrets(s.current(), s.previous(),
                s.previousValidUntil(), s.acceptUnsignedWithToken(), s.provider(), s.serverHost()));
    }

    /** The {@code Authorization} header value (an OAuth token refreshed first when due), and what git over HTTPS needs. */
    @POST
    @Path("authorization")
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
