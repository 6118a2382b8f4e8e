package io.bitbridge.tracker.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.rest.Lookups;
import io.bitbridge.tracker.repository.HistoryReader;
import io.bitbridge.tracker.service.Views.CommitView;
import io.bitbridge.tracker.service.Views.PullRequestView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Locale;

/**
 * A single commit or pull request. The repository key is written as it is, slashes and colon included
 * ({@code /api/commits/bitbucket-cloud:bitbucket.org/acme/game/3f9a...}); the last segment is the hash or id.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class CommitResource {
    private final HistoryReader reader;

    CommitResource(HistoryReader reader) {
        this.reader = reader;
    }

    @GET
    @Path("commits/{repositoryKey: .+}/{hash: [0-9a-fA-F]{7,64}}")
    @Operation(summary = "A commit (full hash) with its parents, changed paths and the branches it was pushed to")
    public Uni<CommitView> commit(@PathParam("repositoryKey") String repositoryKey, @PathParam("hash") String hash) {
        return Lookups.orFail(reader.commit(repositoryKey, hash.toLowerCase(Locale.ROOT)), () -> Problems.unknownCommit(repositoryKey, hash));
    }

    @GET
    @Path("pullrequests/{repositoryKey: .+}/{id: [0-9]{1,18}}")
    @Operation(summary = "A pull request with its state history in Bitbucket's time order")
    public Uni<PullRequestView> pullRequest(@PathParam("repositoryKey") String repositoryKey, @PathParam("id") long id) {
        return Lookups.orFail(reader.pullRequest(repositoryKey, id), () -> Problems.unknownPullRequest(repositoryKey, id));
    }
}
