package io.bitbridge.gateway.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.gateway.config.GatewayConfig;
import io.bitbridge.gateway.repository.DeliveryRepository;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;

/** The deliveries log of one credential, newest first: what a "webhook details" page shows. */
@Path("/api/credentials/{credentialId}/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveriesResource {
    private final DeliveryRepository deliveries;
    private final int keepPerCredential;
    private final int keepRefusedPerCredential;

    DeliveriesResource(DeliveryRepository deliveries, GatewayConfig config) {
        this.deliveries = deliveries;
        this.keepPerCredential = config.deliveries().keepPerCredential();
        this.keepRefusedPerCredential = config.deliveries().keepRefusedPerCredential();
    }

    /** One logged delivery; {@code verdict} is the outcome (accepted, ignored, or why it was refused). */
    public record DeliveryView(Instant receivedAt, String provider, String eventKey, String deliveryId, int attempt,
                               String verdict, int status, long latencyMs) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The latest answered webhook deliveries for a credential (accepted, ignored, ping, 5xx), newest "
            + "first (all that are kept unless limit is given); refused ones are under /refused")
    public Uni<List<DeliveryView>> list(@PathParam("credentialId") String credentialId,
                                        @QueryParam("limit") Integer requestedLimit) {
        return latest(credentialId, false, requestedLimit, keepPerCredential);
    }

    @GET
    @Path("/refused")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The latest refused webhook deliveries for a credential (4xx: bad signature, unknown credential, "
            + "too large, malformed), newest first, kept apart so that forged traffic cannot push real deliveries out")
    public Uni<List<DeliveryView>> refused(@PathParam("credentialId") String credentialId,
                                           @QueryParam("limit") Integer requestedLimit) {
        return latest(credentialId, true, requestedLimit, keepRefusedPerCredential);
    }

    private Uni<List<DeliveryView>> latest(String credentialId, boolean refused, Integer requestedLimit, int kept) {
        int limit = requestedLimit == null ? kept : requestedLimit;
        if (limit < 1 || limit > kept) {
            throw new ProblemException("invalid-limit", "Invalid limit", 400, "limit must be between 1 and " + kept + ".");
        }
        return deliveries.latest(credentialId, refused, limit).map(rows -> rows.stream()
                .map(r -> new DeliveryView(r.receivedAt(), r.provider(), r.eventKey(), r.deliveryId(), r.attempt(),
                        r.verdict().toLowerCase(java.util.Locale.ROOT), r.status(), r.latencyMs()))
                .toList());
    }
}
