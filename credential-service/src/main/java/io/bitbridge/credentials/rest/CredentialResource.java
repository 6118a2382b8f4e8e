package io.bitbridge.credentials.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.rest.Problem;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.credentials.service.ConsentService;
import io.bitbridge.credentials.service.CreateCredentialRequest;
import io.bitbridge.credentials.service.CredentialService;
import io.bitbridge.credentials.service.CredentialView;
import io.bitbridge.credentials.service.WebhookService;
import io.bitbridge.events.CredentialKind;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The credential API for people and the UI: viewers read, admins change. */
@Path("/api/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialResource {
    /** A workspace or project key, or a repository slug. */
    private static final String REPO_PART = "[A-Za-z0-9~._{}-]{1,128}";
    private static final String REPO_PART_MESSAGE = "must be a workspace/project key or repository slug";

    private final CredentialService service;
    private final WebhookService webhooks;
    private final ConsentService consent;

    CredentialResource(CredentialService service, WebhookService webhooks, ConsentService consent) {
        this.service = service;
        this.webhooks = webhooks;
        this.consent = consent;
    }

    public record MigrateRequest(@NotBlank String email, @NotBlank String token) {
        @Override
        public String toString() {
            return "MigrateRequest";
        }
    }

    public record AcceptUnsignedRequest(@NotNull Boolean enabled) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> create(@Valid @NotNull CreateCredentialRequest request, @Context UriInfo uri) {
        return service.create(request).map(view -> Response.created(uri.getAbsolutePathBuilder().path(view.id().toString()).build())
                .entity(view).build());
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Uni<List<CredentialView>> list() {
        return service.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    public Uni<CredentialView> get(@PathParam("id") String id) {
        return service.get(uuid(id));
    }

    @POST
    @Path("{id}/test")
    @RolesAllowed(Roles.ADMIN)
    public Uni<CredentialView> test(@PathParam("id") String id) {
        return service.test(uuid(id));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> delete(@PathParam("id") String id) {
        return service.delete(uuid(id)).map(ignored -> Response.noContent().build());
    }

    /**
     * A Bitbucket Cloud OAuth consent link: {@code name} for a new credential, or {@code credentialId} (and
     * {@code allowAccountChange}) to connect an existing OAuth credential again.
     */
    public record ConsentRequest(@Size(max = CredentialService.MAX_NAME) String name, UUID credentialId, boolean allowAccountChange) {
    }

    @POST
    @Path("oauth-consents")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "A single-use, short-lived Bitbucket Cloud consent link ({\"consentUrl\",\"expiresAt\"}) to open in a browser: "
            + "{\"name\"} connects a new OAuth credential, {\"credentialId\"[,\"allowAccountChange\":true]} an existing one again")
    @APIResponse(responseCode = "201", description = "the consent link")
    public Uni<Response> consent(@Valid @NotNull ConsentRequest request, @Context SecurityContext caller) {
        boolean named = request.name() != null && !request.name().isBlank();
        if (named == (request.credentialId() != null)) {
            throw invalidRequest("give either name (a new credential) or credentialId (connect an existing one again)");
        }
        if (named && request.allowAccountChange()) {
            throw invalidRequest("allowAccountChange applies to credentialId only");
        }
        String who = caller.getUserPrincipal().getName();
        return (named ? consent.ticketForNew(request.name(), who) : consent.ticketForReconnect(request.credentialId(), request.allowAccountChange(), who))
                .map(CredentialResource::consentLink);
    }

    /**
     * OAuth: a consent link to connect the credential again, as {@code POST oauth-consents} with {@code credentialId}.
     * Other kinds: checks the stored secret against Bitbucket again, which brings a recovered credential UP.
     */
    @POST
    @Path("{id}/reconnect")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "OAuth: a consent link as POST oauth-consents gives (201 {\"consentUrl\",\"expiresAt\"}); other kinds: test again. "
            + "A consent given by another Bitbucket account than the credential's changes nothing unless allowAccountChange=true")
    public Uni<Response> reconnect(@PathParam("id") String id,
                                   @Parameter(description = "true: the credential may end up connected to another Bitbucket account")
                                   @QueryParam("allowAccountChange") boolean allowAccountChange,
                                   @Context SecurityContext caller) {
        UUID credentialId = uuid(id);
        return service.get(credentialId).chain(view -> view.kind() == CredentialKind.BITBUCKET_CLOUD_OAUTH
                ? consent.ticketForReconnect(credentialId, allowAccountChange, caller.getUserPrincipal().getName())
                .map(CredentialResource::consentLink)
                : service.test(credentialId).map(tested -> Response.ok(tested).build()));
    }

    private static ProblemException invalidRequest(String detail) {
        return new ProblemException("invalid-request", "Invalid request", 400, detail);
    }

    private static Response consentLink(ConsentService.Ticket ticket) {
        // the link is a capability: not to be kept by caches
        return Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                .entity(Map.of("consentUrl", ticket.consentUrl().toString(), "expiresAt", ticket.expiresAt().toString())).build();
    }

    @POST
    @Path("{id}/migrate-to-api-token")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<CredentialView> migrate(@PathParam("id") String id, @Valid @NotNull MigrateRequest request) {
        return service.migrateToApiToken(uuid(id), request.email(), request.token());
    }

    @PUT
    @Path("{id}/accept-unsigned-with-token")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Uni<CredentialView> acceptUnsigned(@PathParam("id") String id, @Valid @NotNull AcceptUnsignedRequest request) {
        return service.setAcceptUnsignedWithToken(uuid(id), request.enabled());
    }

    /**
     * The secret (and {@code ?token=} for senders that cannot sign) of a hook an admin sets up by hand: every hook has
     * its own, derived from the credential's secret and the hook's scope, so that one repository's admins, who can read
     * its hook's settings, cannot sign for another.
     */
    @GET
    @Path("{id}/webhook-secret")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The webhook secret and URL token of one hook scope: owner/slug (repository hook) or owner "
            + "(Cloud workspace or Server project hook)")
    public Uni<CredentialService.ScopedWebhookSecret> webhookSecret(@PathParam("id") String id, @QueryParam("scope") String scope) {
        return service.webhookSecret(uuid(id), scope);
    }

    @POST
    @Path("{id}/webhook-secret:rotate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rotate the webhook secret in two phases: the next secret is accepted by the gateways first, then set "
            + "on every registered hook, then made current; the old one stays valid for the overlap")
    @APIResponse(responseCode = "200", description = "Rotated; the outcome per hook")
    @APIResponse(responseCode = "409", description = "The previous secret's overlap has not ended yet, or another rotation is running",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "503", description = "The gateways could not be told of the next secret; no hook was changed",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Uni<WebhookService.Rotated> rotate(@PathParam("id") String id) {
        return webhooks.rotate(uuid(id));
    }

    @PUT
    @Path("{id}/webhooks/{owner}/{repo}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<WebhookService.Registered> register(@PathParam("id") String id,
                                                   @PathParam("owner") @Pattern(regexp = REPO_PART, message = REPO_PART_MESSAGE) String owner,
                                                   @PathParam("repo") @Pattern(regexp = REPO_PART, message = REPO_PART_MESSAGE) String repo) {
        return webhooks.register(uuid(id), owner, repo);
    }

    @DELETE
    @Path("{id}/webhooks/{owner}/{repo}")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> unregister(@PathParam("id") String id,
                                    @PathParam("owner") @Pattern(regexp = REPO_PART, message = REPO_PART_MESSAGE) String owner,
                                    @PathParam("repo") @Pattern(regexp = REPO_PART, message = REPO_PART_MESSAGE) String repo) {
        return webhooks.unregister(uuid(id), owner, repo).map(found -> found
                ? Response.noContent().build()
                : new ProblemException("webhook-not-found", "Webhook not found", 404,
                "No Bitbridge webhook on " + owner + "/" + repo + ".").problem().toResponse());
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException("credential-not-found", "Credential not found", 404,
                    "Credential ids are UUIDs.");
        }
    }
}
