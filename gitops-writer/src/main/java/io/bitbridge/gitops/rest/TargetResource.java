package io.bitbridge.gitops.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.gitops.config.GitOpsConfig;
import io.bitbridge.gitops.repository.CommitLog;
import io.bitbridge.gitops.repository.CommitRecord;
import io.bitbridge.gitops.repository.Target;
import io.bitbridge.gitops.service.CommitOrder;
import io.bitbridge.gitops.service.CommitService;
import io.bitbridge.gitops.service.TargetService;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.validation.Validator;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** GitOps targets and their commits. Blocking endpoints: they run on worker threads. */
@Path("/api/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetResource {
    private final TargetService targets;
    private final CommitService commits;
    private final CommitLog log;
    private final GitOpsConfig config;
    private final ObjectMapper json;
    private final Validator validator;

    TargetResource(TargetService targets, CommitService commits, CommitLog log, GitOpsConfig config, ObjectMapper json,
                   Validator validator) {
        this.targets = targets;
        this.commits = commits;
        this.log = log;
        this.config = config;
        this.json = json;
        this.validator = validator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Attach a GitOps target (and register its repository's webhook)")
    @RolesAllowed(Roles.ADMIN)
    public Response create(@Valid @NotNull TargetRequest request, @HeaderParam("Authorization") String authorization,
                           @Context UriInfo uri) {
        Target target = targets.create(settings(request), authorization);
        return Response.created(uri.getAbsolutePathBuilder().path(target.id().toString()).build()).entity(TargetView.of(target)).build();
    }

    @GET
    @Operation(summary = "Every GitOps target")
    @RolesAllowed(Roles.VIEWER)
    public List<TargetView> list() {
        return targets.list().stream().map(TargetView::of).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One GitOps target")
    @RolesAllowed(Roles.VIEWER)
    public TargetView get(@PathParam("id") String id) {
        return TargetView.of(targets.find(uuid(id)));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a GitOps target")
    @RolesAllowed(Roles.ADMIN)
    public TargetView update(@PathParam("id") String id, @Valid @NotNull TargetRequest request,
                             @HeaderParam("Authorization") String authorization) {
        return TargetView.of(targets.update(uuid(id), settings(request), authorization));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Detach a GitOps target (its audit trail stays)")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") String id) {
        targets.delete(uuid(id));
        return Response.noContent().build();
    }

    /**
     * Commits a desired state. Answers the result when it comes within {@code bitbridge.gitops.result-wait}: 200 when
     * committed or nothing needed changing (also for a request id seen before: its first result), 409 when the branch
     * kept moving, 422 when Bitbucket or the credential refused, 502 when Bitbucket could not be reached; otherwise
     * 202 with the result's URL.
     */
    @POST
    @Path("{id}/commits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Commit a desired state (full file set or patch) as one commit; idempotent by requestId")
    @RolesAllowed(Roles.ADMIN)
    public Response commit(@PathParam("id") String id, @Valid @NotNull CommitBody body, @Context SecurityContext security,
                           @Context UriInfo uri) {
        Target target = targets.find(uuid(id));
        return run(target, body.requestId(), () -> body.order(requestedBy(security)), () -> {
        }, uri);
    }

    /**
     * The same as a multipart form, for large files: the part {@code request} holds the JSON body (its {@code files}
     * or {@code patch.put} may be empty), every file part (with a filename) is one more file, named by its part name
     * (the path relative to the target's path). Uploads are spooled to disk and, for Server / Data Center targets,
     * streamed from there into git, never held whole in memory.
     */
    @POST
    @Path("{id}/commits")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Commit a desired state with files uploaded as multipart parts (streamed to Server / Data Center)")
    @RolesAllowed(Roles.ADMIN)
    public Response commitUpload(@PathParam("id") String id, @RestForm("request") String request,
                                 @RestForm(FileUpload.ALL) List<FileUpload> uploads, @Context SecurityContext security,
                                 @Context UriInfo uri) {
        Target target = targets.find(uuid(id));
        CommitBody body = uploadBody(request);
        Spool spool = Spool.of(config.cacheDir(), uploads);
        return run(target, body.requestId(), () -> body.order(requestedBy(security), spool.files()), spool::delete, uri);
    }

    private CommitBody uploadBody(String request) {
        if (request == null) {
            throw new ProblemException("invalid-request", "Invalid request", 400, "request: the JSON part is missing");
        }
        CommitBody body;
        try {
            body = json.readValue(request, CommitBody.class);
        } catch (java.io.IOException e) {
            throw new ProblemException("invalid-request", "Invalid request", 400, "request: not a commit request: " + e.getMessage());
        }
        var violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new jakarta.validation.ConstraintViolationException(violations);
        }
        return body;
    }

    private static String requestedBy(SecurityContext security) {
        return security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
    }

    /** Runs the order on a worker; answers its result, or 202 after {@code result-wait}; {@code done} runs when it ends. */
    private Response run(Target target, String requestId, java.util.function.Supplier<CommitOrder> order, Runnable done, UriInfo uri) {
        CompletableFuture<CommitService.Handled> running = CompletableFuture.supplyAsync(() -> {
            try {
                return commits.execute(target, order.get());
            } finally {
                done.run();
            }
        }, Infrastructure.getDefaultWorkerPool());
        CommitRecord record;
        try {
            record = running.get(config.resultWait().toMillis(), TimeUnit.MILLISECONDS).record();
        } catch (TimeoutException e) {
            record = log.find(requestId).orElseThrow();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommitService.RequestIdTakenException taken) {
                throw new ProblemException("request-id-taken", "Request id taken", 409, taken.getMessage());
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return answer(record, uri.getAbsolutePathBuilder().path(record.requestId()).build());
    }

    @GET
    @Path("{id}/commits")
    @Operation(summary = "The target's audit trail of commit requests, newest first")
    @RolesAllowed(Roles.VIEWER)
    public List<CommitView> commits(@PathParam("id") String id,
                                    @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return log.forTarget(uuid(id), limit).stream().map(CommitView::of).toList();
    }

    @GET
    @Path("{id}/commits/{requestId}")
    @Operation(summary = "One commit request's result")
    @RolesAllowed(Roles.VIEWER)
    public CommitView commit(@PathParam("id") String id, @PathParam("requestId") String requestId) {
        UUID target = uuid(id);
        return log.find(requestId).filter(r -> r.targetId().equals(target)).map(CommitView::of)
                .orElseThrow(() -> new ProblemException("commit-request-not-found", "Commit request not found", 404,
                        "No commit request " + requestId + " on target " + id + "."));
    }

    private static Response answer(CommitRecord record, java.net.URI location) {
        CommitView view = CommitView.of(record);
        if (!record.done()) {
            return Response.accepted(view).location(location).build();
        }
        failIfUnsuccessful(record);
        return Response.ok(view).location(location).build();
    }

    /** A finished request that did not end COMMITTED or NO_CHANGE, as the problem the API answers. */
    static void failIfUnsuccessful(CommitRecord record) {
        switch (record.status()) {
            case "COMMITTED", "NO_CHANGE", CommitRecord.PENDING -> {
            }
            case "CONFLICT" -> throw problem("commit-conflict", "Branch kept moving", 409, record);
            case "REJECTED" -> throw problem("commit-rejected", "Commit rejected", 422, record);
            default -> throw problem("commit-failed", "Commit failed", 502, record);
        }
    }

    private static ProblemException problem(String slug, String title, int status, CommitRecord record) {
        return new ProblemException(slug, title, status, "Request " + record.requestId() + ": " + record.reason());
    }

    static TargetService.Settings settings(TargetRequest r) {
        return new TargetService.Settings(r.clusterName(), r.clusterId(), r.credentialId(), r.owner(), r.slug(), r.branch(),
                r.normalizedPath());
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ProblemException("target-not-found", "Target not found", 404, "Target ids are UUIDs.");
        }
    }
}
