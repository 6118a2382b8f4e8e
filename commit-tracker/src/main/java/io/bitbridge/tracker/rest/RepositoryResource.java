package io.bitbridge.tracker.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.common.rest.Lookups;
import io.bitbridge.tracker.repository.HistoryReader;
import io.bitbridge.tracker.service.Views.BranchView;
import io.bitbridge.tracker.service.Views.CommitView;
import io.bitbridge.tracker.service.Views.MemberView;
import io.bitbridge.tracker.service.Views.Page;
import io.bitbridge.tracker.service.Views.PullRequestView;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One repository's history. The repository key is written as it is, slashes and colon included
 * ({@code /api/repositories/bitbucket-cloud:bitbucket.org/acme/game/commits}): the path template takes everything up
 * to the last fixed segment (on each method: a class-level template would not match the slashes).
 */
@Path("/api/repositories")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class RepositoryResource {
    private final HistoryReader reader;

    RepositoryResource(HistoryReader reader) {
        this.reader = reader;
    }

    @GET
    @Path("{repositoryKey: .+}/commits")
    @Operation(summary = "Commits newest first, optionally on one branch, in [since, until), by one author (e-mail, account id or name)")
    public Uni<Page<CommitView>> commits(@PathParam("repositoryKey") String repositoryKey, @QueryParam("branch") String branch,
                                         @QueryParam("since") String since, @QueryParam("until") String until,
                                         @QueryParam("author") String author, @QueryParam("cursor") String cursor,
                                         @QueryParam("limit") @DefaultValue(Params.DEFAULT_LIMIT) @Min(1) @Max(Params.MAX_LIMIT) int limit) {
        List<String> after = Cursor.parse(cursor, 2);
        Instant sinceTime = Params.instant("since", since);
        Instant untilTime = Params.instant("until", until);
        return known(repositoryKey, () -> reader.commits(repositoryKey, branch, sinceTime, untilTime, author,
                        after == null ? null : Cursor.time(after.get(0)), after == null ? null : after.get(1), limit)
                .map(rows -> Params.page(rows, limit, last -> Cursor.of(sortTime(last).toString(), last.hash()))));
    }

    @GET
    @Path("{repositoryKey: .+}/branches")
    @Operation(summary = "Branches by name: head, created and deleted times, forced updates, the pull request that merged it")
    public Uni<Page<BranchView>> branches(@PathParam("repositoryKey") String repositoryKey, @QueryParam("cursor") String cursor,
                                          @QueryParam("limit") @DefaultValue(Params.DEFAULT_LIMIT) @Min(1) @Max(Params.MAX_LIMIT) int limit) {
        return pagedByName(repositoryKey, cursor, limit, reader::branches, BranchView::name);
    }

    @GET
    @Path("{repositoryKey: .+}/pullrequests")
    @Operation(summary = "Pull requests, highest id first, optionally in one state (OPEN, MERGED, DECLINED, DELETED...)")
    public Uni<Page<PullRequestView>> pullRequests(@PathParam("repositoryKey") String repositoryKey,
                                                   @QueryParam("state") @Pattern(regexp = "[A-Z_]{1,20}") String state,
                                                   @QueryParam("cursor") String cursor,
                                                   @QueryParam("limit") @DefaultValue(Params.DEFAULT_LIMIT) @Min(1) @Max(Params.MAX_LIMIT) int limit) {
        List<String> after = Cursor.parse(cursor, 1);
        Long beforeId = after == null ? null : parseId(after.get(0));
        return known(repositoryKey, () -> reader.pullRequests(repositoryKey, state, beforeId, limit)
                .map(rows -> Params.page(rows, limit, last -> Cursor.of(Long.toString(last.id())))));
    }

    @GET
    @Path("{repositoryKey: .+}/members")
    @Operation(summary = "People active in the repository (one per account, or per e-mail without one), with aliases and first/last activity")
    public Uni<Page<MemberView>> members(@PathParam("repositoryKey") String repositoryKey, @QueryParam("cursor") String cursor,
                                         @QueryParam("limit") @DefaultValue(Params.DEFAULT_LIMIT) @Min(1) @Max(Params.MAX_LIMIT) int limit) {
        return pagedByName(repositoryKey, cursor, limit, reader::members, MemberView::identity);
    }

    /** A list ordered by one text column, whose cursor is that column's value in the last item. */
    private <T> Uni<Page<T>> pagedByName(String repositoryKey, String cursor, int limit, NamedQuery<T> query, Function<T, String> nameOf) {
        List<String> after = Cursor.parse(cursor, 1);
        return known(repositoryKey, () -> query.after(repositoryKey, after == null ? null : after.get(0), limit)
                .map(rows -> Params.page(rows, limit, last -> Cursor.of(nameOf.apply(last)))));
    }

    @FunctionalInterface
    private interface NamedQuery<T> {
        Uni<List<T>> after(String repositoryKey, String afterName, int limit);
    }

    private <T> Uni<T> known(String repositoryKey, Supplier<Uni<T>> query) {
        return Lookups.orFail(reader.repositoryKnown(repositoryKey).map(known -> known ? Boolean.TRUE : null),
                () -> Problems.unknownRepository(repositoryKey)).chain(ignored -> query.get());
    }

    private static Instant sortTime(CommitView commit) {
        return commit.date() != null ? commit.date() : commit.firstSeenAt();
    }

    private static Long parseId(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Cursor.invalid();
        }
    }
}
