package io.bitbridge.buildtrigger.rest;

import io.bitbridge.buildtrigger.repository.TriggerRepository;
import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.buildtrigger.service.TriggerService;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.rest.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Decisions and their builds; an admin's deliberate rebuild. */
@Path("/api/triggers")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TriggersResource {
    private static final int LIMIT = 200;

    private final TriggerRepository triggers;
    private final TriggerService service;

    TriggersResource(TriggerRepository triggers, TriggerService service) {
        this.triggers = triggers;
        this.service = service;
    }

    /** One decision: {@code state} is calling, queued, started, completed, failed or refused; {@code reason} says why. */
    public record TriggerView(UUID id, String repository, String ref, String commit, String job, String instance, String tag,
                              String taggedCommit, Map<String, String> parameters, String state, String reason,
                              String queueUrl, String buildUrl, Integer buildNumber, String result, int rebuilds,
                              String sourceDeliveryId, Instant createdAt, Instant updatedAt) {
        static TriggerView of(TriggerRow r) {
            return new TriggerView(r.id(), r.repositoryKey(), r.ref(), r.commit(), r.job(), r.instance(), r.tag(), r.taggedCommit(),
                    r.parameters(), r.state().name().toLowerCase(java.util.Locale.ROOT), r.reason(), r.queueUrl(), r.buildUrl(),
                    r.buildNumber(), r.result(), r.rebuilds(), r.sourceDeliveryId(), r.createdAt(), r.updatedAt());
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Trigger decisions and their builds, newest first (at most 200), filtered by repository key, commit and job")
    public List<TriggerView> list(@QueryParam("repository") String repository, @QueryParam("commit") String commit,
                                  @QueryParam("job") String job) {
        return triggers.find(blankToNull(repository), blankToNull(commit), blankToNull(job), LIMIT).stream().map(TriggerView::of).toList();
    }

    @POST
    @Path("/{id}/retry")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Deliberately build a completed or failed trigger again (recorded as a rebuild)")
    public TriggerView retry(@PathParam("id") String id, @Context SecurityContext security) {
        return TriggerView.of(service.retry(uuid(id), security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName()));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException("trigger-not-found", "Trigger not found", 404, "No trigger " + id + ".");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
