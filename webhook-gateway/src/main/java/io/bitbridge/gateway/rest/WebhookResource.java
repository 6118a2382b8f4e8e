package io.bitbridge.gateway.rest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.bitbridge.common.rest.Problem;
import io.bitbridge.events.Provider;
import io.bitbridge.gateway.config.GatewayConfig;
import io.bitbridge.gateway.service.IntakeResult;
import io.bitbridge.gateway.service.WebhookIntake;
import io.bitbridge.gateway.service.WebhookRequest;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import java.util.concurrent.CompletionStage;

/**
 * Where Bitbucket delivers webhooks. Public (the signature is the authentication). The body has been read on the event
 * loop by {@link WebhookBodyReader} (with a deadline, up to the limit) before this runs, so a worker thread is taken
 * only once the whole body is here; every media type reaches the intake so that a wrong one gets a problem document
 * rather than a framework page. The answer is sent when Kafka acknowledges; the worker thread is free again as soon
 * as the event is handed to the producer.
 */
@Path("/webhooks")
@PermitAll
public class WebhookResource {
    private final WebhookIntake intake;
    private final GatewayConfig config;

    WebhookResource(WebhookIntake intake, GatewayConfig config) {
        this.intake = intake;
        this.config = config;
    }

    @POST
    @Path("/bitbucket-cloud/{credentialId}")
    @Operation(summary = "Receive a Bitbucket Cloud webhook delivery")
    @RequestBody(description = "The webhook body as Bitbucket sends it", required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @Blocking
    public CompletionStage<Response> cloud(@PathParam("credentialId") String credentialId, @QueryParam("token") String token,
                                           @Context HttpHeaders headers, @Context RoutingContext http) {
        return intake.handle(request(Provider.BITBUCKET_CLOUD, credentialId, token, headers, "X-Request-UUID", http)).thenApply(this::answer);
    }

    @POST
    @Path("/bitbucket-server/{credentialId}")
    @Operation(summary = "Receive a Bitbucket Server / Data Center webhook delivery")
    @RequestBody(description = "The webhook body as Bitbucket sends it", required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @Blocking
    public CompletionStage<Response> server(@PathParam("credentialId") String credentialId, @QueryParam("token") String token,
                                            @Context HttpHeaders headers, @Context RoutingContext http) {
        return intake.handle(request(Provider.BITBUCKET_SERVER, credentialId, token, headers, "X-Request-Id", http)).thenApply(this::answer);
    }

    private static WebhookRequest request(Provider provider, String credentialId, String token, HttpHeaders headers,
                                          String deliveryIdHeader, RoutingContext http) {
        return new WebhookRequest(provider, credentialId, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getHeaderString("X-Event-Key"), headers.getHeaderString(deliveryIdHeader),
                headers.getHeaderString("X-Attempt-Number"), headers.getHeaderString("X-Hub-Signature"), token,
                WebhookBodyReader.bodyOf(http));
    }

    private Response answer(IntakeResult result) {
        if (result.verdict().refused()) {
            Response.ResponseBuilder response = Response.fromResponse(Problem.of(result.verdict().problemSlug(),
                    result.verdict().problemTitle(), result.verdict().status(), result.detail()).toResponse());
            if (result.verdict().status() == 503) {
                response.header("Retry-After", config.retryAfterSeconds());
            }
            return response.build();
        }
        return Response.status(result.verdict().status()).type(MediaType.APPLICATION_JSON)
                .entity(acceptedBody(result.verdict().label(), result.deliveryId()))
                .build();
    }

    /**
     * {@code {"outcome":…,"deliveryId":…}} written directly: the answer to every delivery, and a map through the
     * generic JSON writer cost more than the rest of the response.
     */
    static String acceptedBody(String outcome, String deliveryId) {
        JsonStringEncoder json = JsonStringEncoder.getInstance();
        return "{\"outcome\":\"" + new String(json.quoteAsString(outcome)) + "\",\"deliveryId\":\""
                + (deliveryId == null ? "" : new String(json.quoteAsString(deliveryId))) + "\"}";
    }
}
