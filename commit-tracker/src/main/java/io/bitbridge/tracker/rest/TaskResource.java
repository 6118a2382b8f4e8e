package io.bitbridge.tracker.rest;

import io.bitbridge.common.auth.Roles;
import io.bitbridge.tracker.repository.HistoryReader;
import io.bitbridge.tracker.repository.HistoryReader.LinkRow;
import io.bitbridge.tracker.service.TaskKeys;
import io.bitbridge.tracker.service.Views.LinkView;
import io.bitbridge.tracker.service.Views.Page;
import io.bitbridge.tracker.service.Views.TaskSummary;
import io.bitbridge.tracker.service.Views.TaskView;
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

/** Task keys found in commits, branches and pull requests. */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class TaskResource {
    private final HistoryReader reader;

    TaskResource(HistoryReader reader) {
        this.reader = reader;
    }

    @GET
    @Operation(summary = "Tasks by key with link counts and last activity, optionally of one project and active since a time")
    public Uni<Page<TaskSummary>> tasks(@QueryParam("project") @Pattern(regexp = "[A-Z][A-Z0-9_]{1,49}") String project,
                                        @QueryParam("since") String since, @QueryParam("cursor") String cursor,
                                        @QueryParam("limit") @DefaultValue(Params.DEFAULT_LIMIT) @Min(1) @Max(Params.MAX_LIMIT) int limit) {
        List<String> after = Cursor.parse(cursor, 1);
        Instant sinceTime = Params.instant("since", since);
        return reader.tasks(project, sinceTime, after == null ? null : after.get(0), limit)
                .map(rows -> Params.page(rows, limit, last -> Cursor.of(last.key())));
    }

    @GET
    @Path("{key}")
    @Operation(summary = "The commits, branches and pull requests linked to a task, newest first")
    public Uni<TaskView> task(@PathParam("key") @Pattern(regexp = "[A-Z][A-Z0-9_]+-[0-9]{1,9}") String key,
                              @QueryParam("cursor") String cursor,
                              @QueryParam("limit") @DefaultValue(Params.DEFAULT_LIMIT) @Min(1) @Max(Params.MAX_LIMIT) int limit) {
        List<String> after = Cursor.parse(cursor, 2);
        return reader.links(key, after == null ? null : Cursor.time(after.get(0)), after == null ? null : after.get(1), limit)
                .map(rows -> {
                    if (rows.isEmpty() && after == null) {
                        throw Problems.unknownTask(key);
                    }
                    Page<LinkRow> page = Params.page(rows, limit, last -> Cursor.of(last.link().linkedAt().toString(), last.linkId()));
                    List<LinkView> links = page.items().stream().map(LinkRow::link).toList();
                    return new TaskView(key, TaskKeys.projectOf(key), links, page.nextCursor());
                });
    }
}
