package io.bitbridge.credentials.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.credentials.service.ConsentService;
import io.bitbridge.credentials.service.CredentialService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Bitbucket Cloud OAuth consent. {@code authorize} needs an admin and sets a browser-binding cookie; the
 * {@code callback} is reached by Bitbucket's redirect, so it carries no token: the signed, single-use
 * {@code state} plus that cookie are what protect it.
 */
@Path("/oauth/bitbucket-cloud")
public class OAuthResource {
    static final String BINDING_COOKIE = "bitbridge_oauth_binding";

    private final ConsentService consent;

    OAuthResource(ConsentService consent) {
        this.consent = consent;
    }

    @GET
    @Path("authorize")
    @RolesAllowed(Roles.ADMIN)
    public Uni<Response> authorize(@QueryParam("name") @NotBlank @Size(max = CredentialService.MAX_NAME) String name, @Context SecurityContext caller) {
        return consent.startNew(name, caller.getUserPrincipal().getName())
                .map(start -> withBindingCookie(Response.seeOther(start.authorizeUrl()), start).build());
    }

    @GET
    @Path("callback")
    @PermitAll
    public Uni<Response> callback(@QueryParam("code") String code, @QueryParam("state") String state,
                                  @QueryParam("error") String error, @CookieParam(BINDING_COOKIE) String binding) {
        return consent.callback(code, state, error, binding)
                .map(target -> Response.seeOther(target).cookie(expired()).build());
    }

    static Response.ResponseBuilder withBindingCookie(Response.ResponseBuilder response, ConsentService.Start start) {
        return response.cookie(new NewCookie.Builder(BINDING_COOKIE).value(start.binding()).path("/oauth/bitbucket-cloud")
                .maxAge((int) start.lifetime().toSeconds()).httpOnly(true).secure(start.secureCookie())
                .sameSite(NewCookie.SameSite.LAX).build());
    }

    private static NewCookie expired() {
        return new NewCookie.Builder(BINDING_COOKIE).value("").path("/oauth/bitbucket-cloud").maxAge(0).httpOnly(true).build();
    }
}
