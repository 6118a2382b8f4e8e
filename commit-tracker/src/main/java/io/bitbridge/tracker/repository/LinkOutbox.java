package io.bitbridge.tracker.repository;

import io.bitbridge.events.Person;
import io.bitbridge.events.TaskLinkEvent;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Which stored links still wait for their {@code tasks.links.v1} event. */
@ApplicationScoped
public class LinkOutbox {
    private final Pool pool;

    LinkOutbox(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<TaskLink>> unpublished(List<String> linkIds) {
        return pool.preparedQuery("select * from task_links where link_id = any($1) and published_at is null order by linked_at, link_id")
                .execute(Tuple.of(Sql.array(linkIds)))
                .map(rows -> {
                    List<TaskLink> links = new ArrayList<>();
                    rows.forEach(row -> links.add(toLink(row)));
                    return links;
                });
    }

    public Uni<Void> markPublished(List<String> linkIds) {
        return pool.preparedQuery("update task_links set published_at = now() where link_id = any($1) and published_at is null")
                .execute(Tuple.of(Sql.array(linkIds))).replaceWithVoid();
    }

    static TaskLink toLink(Row row) {
        Person author = new Person(row.getString("author_name"), null, row.getString("author_email"),
                row.getString("author_account_id"), null);
        return new TaskLink(row.getString("link_id"), row.getString("task_key"), TaskLinkEvent.Target.valueOf(row.getString("target")),
                row.getString("repository_key"), row.getString("reference"), TaskLink.FoundIn.valueOf(row.getString("found_in")),
                row.getString("title"), author, row.getString("delivery_id"), Sql.instant(row.getOffsetDateTime("linked_at")));
    }
}
