package io.bitbridge.gitops.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.gitops.service.BootstrapService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Repository bootstrap for a cluster. Blocking: runs on a worker thread. */
@Path("/api/bootstrap")
@Produces(MediaType.APPLICATION_JSON)
public class BootstrapResource {
    private final BootstrapService bootstrap;

    BootstrapResource(BootstrapService bootstrap) {
        this.bootstrap = bootstrap;
    }

    /**
     * Creates the repository unless it exists, grants the groups write access, commits the initial files in one commit
     * and attaches the target; safe to run again (a second run changes nothing: {@code changed} false). 200 with what it
     * did; 409 when the cluster has a target elsewhere or the branch kept moving, 422 when Bitbucket or the credential
     * refused, 502 when either could not be reached.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bootstrap a GitOps repository: create it, grant groups, commit the initial files, attach the target")
    @RolesAllowed(Roles.ADMIN)
    public BootstrapView bootstrap(@Valid @NotNull BootstrapRequest request, @HeaderParam("Authorization") String authorization,
                                   @Context SecurityContext security) {
        String requestedBy = security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
        BootstrapService.Report report = bootstrap.bootstrap(request.plan(), authorization, requestedBy);
        TargetResource.failIfUnsuccessful(report.commit());
        return BootstrapView.of(report);
    }
}
