package io.bitbridge.gateway.rest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.bitbridge.common.rest.Problem;
import io.bitbridge.events.Provider;
import io.bitbridge.gateway.config.GatewayConfig;
import io.bitbridge.gateway.service.IntakeResult;
import io.bitbridge.gateway.service.WebhookIntake;
import io.bitbridge.gateway.service.WebhookRequest;
import io.smallrye.common.annotation.Blocking;
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

import java.io.InputStream;
import java.util.concurrent.CompletionStage;

/**
 * Where Bitbucket delivers webhooks. Public (the signature is the authentication). The body arrives as a
 * stream (read on a worker thread) so an oversized one is refused after at most the limit, and every media type
 * reaches the intake so that a wrong one gets a problem document rather than a framework page. The answer is
 * sent when Kafka acknowledges; the worker thread is free again as soon as the event is handed to the producer.
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
    @Blocking
    public CompletionStage<Response> cloud(@PathParam("credentialId") String credentialId, @QueryParam("token") String token,
                                           @Context HttpHeaders headers, InputStream body) {
        return intake.handle(request(Provider.BITBUCKET_CLOUD, credentialId, token, headers, "X-Request-UUID", body)).thenApply(this::answer);
    }

    @POST
    @Path("/bitbucket-server/{credentialId}")
    @Operation(summary = "Receive a Bitbucket Server / Data Center webhook delivery")
    @Blocking
    public CompletionStage<Response> server(@PathParam("credentialId") String credentialId, @QueryParam("token") String token,
                                            @Context HttpHeaders headers, InputStream body) {
        return intake.handle(request(Provider.BITBUCKET_SERVER, credentialId, token, headers, "X-Request-Id", body)).thenApply(this::answer);
    }

    private static WebhookRequest request(Provider provider, String credentialId, String token, HttpHeaders headers,
                                          String deliveryIdHeader, InputStream body) {
        return new WebhookRequest(provider, credentialId, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getHeaderString(HttpHeaders.CONTENT_LENGTH), headers.getHeaderString("X-Event-Key"),
                headers.getHeaderString(deliveryIdHeader), headers.getHeaderString("X-Attempt-Number"),
                headers.getHeaderString("X-Hub-Signature"), token, body);
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
