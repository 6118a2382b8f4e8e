package io.bitbridge.credentials.rest;

import io.bitbridge.common.rest.Problem;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.credentials.service.ConsentService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Bitbucket Cloud OAuth consent, in a browser. None of these carries a token: {@code GET begin} is the consent link an
 * admin asked for, a page with one button; the button ({@code POST begin}) spends the link's single-use ticket (what
 * protects it) and sets the browser-binding cookie;
 * {@code callback} is reached by Bitbucket's redirect (the signed, single-use {@code state} plus that cookie protect
 * it); {@code done} shows how it ended to the browser holding the cookie. Failures are a page for a browser and
 * problem+json for a client that asks for JSON, never a stack trace.
 */
@Path("/oauth/bitbucket-cloud")
@PermitAll
public class OAuthResource {
    static final String BINDING_COOKIE = "bitbridge_oauth_binding";
    private static final String COOKIE_PATH = "/oauth/bitbucket-cloud";

    private final ConsentService consent;

    OAuthResource(ConsentService consent) {
        this.consent = consent;
    }

    @GET
    @Path("begin")
    @Operation(summary = "Opens a consent link: a page naming the credential, with the button that goes on to Bitbucket. "
            + "Spends nothing, so a link preview does not use the link up")
    public Uni<Response> look(@QueryParam("ticket") String ticket, @Context HttpHeaders headers) {
        return consent.look(ticket)
                .map(pending -> ConsentPages.continuePage(pending, ticket, consent.uiUrl(), ConsentPages.wantsJson(headers)))
                .onFailure(ProblemException.class).recoverWithItem(failure -> refused((ProblemException) failure, headers));
    }

    @POST
    @Path("begin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "The consent page's button: spends the link's ticket, sets the binding cookie, 303 to Bitbucket's consent page")
    public Uni<Response> begin(@FormParam("ticket") String ticket, @Context HttpHeaders headers) {
        return consent.begin(ticket)
                .map(start -> ConsentPages.noStore(Response.seeOther(start.authorizeUrl()).cookie(bindingCookie(start))).build())
                .onFailure(ProblemException.class).recoverWithItem(failure -> refused((ProblemException) failure, headers));
    }

    @GET
    @Path("callback")
    @Operation(summary = "Bitbucket's redirect after consent: 303 to the done page")
    public Uni<Response> callback(@QueryParam("code") String code, @QueryParam("state") String state,
                                  @QueryParam("error") String error, @CookieParam(BINDING_COOKIE) String binding,
                                  @Context HttpHeaders headers) {
        return Uni.createFrom().deferred(() -> consent.callback(code, state, error, binding))
                .map(outcome -> ConsentPages.noStore(Response.seeOther(consent.donePage(outcome, binding))).build())
                .onFailure(ProblemException.class).recoverWithItem(failure -> refused((ProblemException) failure, headers));
    }

    @GET
    @Path("done")
    @Operation(summary = "How the consent ended: the credential connected, or why not (a page, or JSON when asked for)")
    public Response done(@QueryParam("outcome") String outcome, @CookieParam(BINDING_COOKIE) String binding,
                         @Context HttpHeaders headers) {
        return consent.outcome(outcome, binding)
                .map(result -> ConsentPages.outcome(result, consent.uiUrl(), ConsentPages.wantsJson(headers)))
                .orElseGet(() -> refused(new ProblemException("consent-outcome-unavailable", "Consent result not available", 400,
                        "This page shows how a consent ended only in the browser that gave it, for a few minutes. "
                                + "The credential list (GET /api/credentials) shows every connected credential."), headers));
    }

    private Response refused(ProblemException failure, HttpHeaders headers) {
        return ConsentPages.problem(failure.problem(), consent.uiUrl(), ConsentPages.wantsJson(headers));
    }

    private static NewCookie bindingCookie(ConsentService.Start start) {
        return new NewCookie.Builder(BINDING_COOKIE).value(start.binding()).path(COOKIE_PATH)
                .maxAge((int) start.lifetime().toSeconds()).httpOnly(true).secure(start.secureCookie())
                .sameSite(NewCookie.SameSite.LAX).build();
    }
}
