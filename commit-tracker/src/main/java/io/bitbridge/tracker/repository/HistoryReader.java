package io.bitbridge.tracker.repository;

import io.bitbridge.tracker.service.Views.Author;
import io.bitbridge.tracker.service.Views.BranchView;
import io.bitbridge.tracker.service.Views.CommitView;
import io.bitbridge.tracker.service.Views.Endpoint;
import io.bitbridge.tracker.service.Views.HistoryEntry;
import io.bitbridge.tracker.service.Views.LinkView;
import io.bitbridge.tracker.service.Views.MemberView;
import io.bitbridge.tracker.service.Views.PullRequestView;
import io.bitbridge.tracker.service.Views.ReviewerView;
import io.bitbridge.tracker.service.Views.TaskSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.bitbridge.tracker.repository.Sql.instant;
import static io.bitbridge.tracker.repository.Sql.row;
import static io.bitbridge.tracker.repository.Sql.time;

/**
 * The queries behind the API. Lists are keyset-paged: each takes the sort values of the last item it returned
 * (null for the first page) and a limit, and returns up to limit + 1 rows so the caller knows whether more follow.
 */
@ApplicationScoped
public class HistoryReader {
    private static final String COMMIT_COLUMNS = """
            c.*, coalesce((select array_agg(b.branch order by b.branch) from commit_branches b
                           where b.repository_key = c.repository_key and b.hash = c.hash), '{}') as branches""";

    private final Pool pool;

    HistoryReader(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> repositoryKnown(String repositoryKey) {
        return pool.preparedQuery("""
                        select exists(select 1 from branches where repository_key = $1)
                            or exists(select 1 from commits where repository_key = $1)
                            or exists(select 1 from pull_requests where repository_key = $1) as known""")
                .execute(Tuple.of(repositoryKey)).map(rows -> rows.iterator().next().getBoolean("known"));
    }

    public Uni<CommitView> commit(String repositoryKey, String hash) {
        return pool.preparedQuery("select " + COMMIT_COLUMNS + " from commits c where c.repository_key = $1 and c.hash = $2")
                .execute(Tuple.of(repositoryKey, hash)).map(rows -> first(rows, HistoryReader::toCommit));
    }

    /** Newest first; {@code after} is (sort time, hash) of the last commit returned. */
    public Uni<List<CommitView>> commits(String repositoryKey, String branch, Instant since, Instant until, String author,
                                         Instant afterTime, String afterHash, int limit) {
        return pool.preparedQuery("select " + COMMIT_COLUMNS + """
                         from commits c
                        where c.repository_key = $1
                          and ($2::text is null or exists(select 1 from commit_branches b where b.repository_key = c.repository_key
                                                          and b.hash = c.hash and b.branch = $2))
                          and ($3::timestamptz is null or c.sort_at >= $3)
                          and ($4::timestamptz is null or c.sort_at < $4)
                          and ($5::text is null or lower(c.author_email) = lower($5) or c.author_account_id = $5
                               or lower(c.author_name) = lower($5))
                          and ($6::timestamptz is null or (c.sort_at, c.hash) < ($6, $7))
                        order by c.sort_at desc, c.hash desc limit $8""")
                .execute(row(repositoryKey, branch, time(since), time(until), author, time(afterTime), afterHash, limit + 1))
                .map(rows -> all(rows, HistoryReader::toCommit));
    }

    public Uni<List<BranchView>> branches(String repositoryKey, String afterName, int limit) {
        return pool.preparedQuery("""
                        select br.*, (select count(*) filter (where u.forced) from branch_updates u
                                       where u.repository_key = br.repository_key and u.branch = br.name) as forced_updates,
                                     (select count(*) filter (where not u.commits_complete) from branch_updates u
                                       where u.repository_key = br.repository_key and u.branch = br.name) as incomplete_updates
                          from branches br where br.repository_key = $1 and ($2::text is null or br.name > $2)
                         order by br.name limit $3""")
                .execute(row(repositoryKey, afterName, limit + 1))
                .map(rows -> all(rows, row -> new BranchView(row.getString("name"), row.getString("head"),
                        instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("deleted_at")),
                        instant(row.getOffsetDateTime("updated_at")), row.getLong("forced_updates"),
                        row.getLong("merged_by_pull_request"), row.getLong("incomplete_updates"))));
    }

    /** Highest id first. */
    public Uni<List<PullRequestView>> pullRequests(String repositoryKey, String state, Long beforeId, int limit) {
        return pool.preparedQuery("""
                        select * from pull_requests where repository_key = $1 and ($2::text is null or state = $2)
                           and ($3::bigint is null or id < $3) order by id desc limit $4""")
                .execute(row(repositoryKey, state, beforeId, limit + 1))
                .map(rows -> all(rows, row -> toPullRequest(row, List.of(), List.of())));
    }

    public Uni<PullRequestView> pullRequest(String repositoryKey, long id) {
        Tuple key = Tuple.of(repositoryKey, id);
        return pool.preparedQuery("""
                        select * from pull_request_history where repository_key = $1 and pull_request_id = $2
                         order by at, received_at, delivery_id""").execute(key)
                .map(rows -> all(rows, row -> new HistoryEntry(row.getString("action"), row.getString("state"),
                        new Author(row.getString("actor_name"), null, row.getString("actor_account_id")),
                        row.getString("source_commit"), row.getString("merge_commit"), instant(row.getOffsetDateTime("at")),
                        row.getString("delivery_id"))))
                .chain(history -> pool.preparedQuery("""
                                select * from pull_request_reviewers where repository_key = $1 and pull_request_id = $2
                                 order by identity""").execute(key)
                        .map(rows -> all(rows, row -> new ReviewerView(row.getString("identity"), row.getString("name"),
                                row.getString("account_id"), row.getString("status"), row.getBoolean("approved"))))
                        .chain(reviewers -> pool.preparedQuery("select * from pull_requests where repository_key = $1 and id = $2")
                                .execute(key).map(rows -> first(rows, row -> toPullRequest(row, reviewers, history)))));
    }

    /** Ordered by identity; activity of this repository only. */
    public Uni<List<MemberView>> members(String repositoryKey, String afterIdentity, int limit) {
        return pool.preparedQuery("""
                        select m.*, a.first_at, a.last_at,
                               coalesce((select array_agg(alias order by alias) from member_aliases x where x.identity = m.identity), '{}') as aliases
                          from member_activity a join members m on m.identity = a.identity
                         where a.repository_key = $1 and ($2::text is null or a.identity > $2)
                         order by a.identity limit $3""")
                .execute(row(repositoryKey, afterIdentity, limit + 1))
                .map(rows -> all(rows, row -> new MemberView(row.getString("identity"), row.getString("display_name"),
                        row.getString("email"), row.getString("account_id"), List.of(row.getArrayOfStrings("aliases")),
                        instant(row.getOffsetDateTime("first_at")), instant(row.getOffsetDateTime("last_at")))));
    }

    /** Tasks by key, with link counts per target and the newest link's time. */
    public Uni<List<TaskSummary>> tasks(String project, Instant since, String afterKey, int limit) {
        return pool.preparedQuery("""
                        select task_key, project_key,
                               count(*) filter (where target = 'COMMIT') as commits,
                               count(*) filter (where target = 'BRANCH') as branches,
                               count(*) filter (where target = 'PULL_REQUEST') as pull_requests,
                               max(linked_at) as last_activity
                          from task_links
                         where ($1::text is null or project_key = $1) and ($3::text is null or task_key > $3)
                         group by task_key, project_key
                        having ($2::timestamptz is null or max(linked_at) >= $2)
                         order by task_key limit $4""")
                .execute(row(project, time(since), afterKey, limit + 1))
                .map(rows -> all(rows, row -> new TaskSummary(row.getString("task_key"), row.getString("project_key"),
                        row.getLong("commits"), row.getLong("branches"), row.getLong("pull_requests"),
                        instant(row.getOffsetDateTime("last_activity")))));
    }

    /** A task's links, newest first; {@code after} is (linked time, link id) of the last one returned. */
    public Uni<List<LinkRow>> links(String taskKey, Instant afterTime, String afterId, int limit) {
        return pool.preparedQuery("""
                        select * from task_links where task_key = $1
                           and ($2::timestamptz is null or (linked_at, link_id) < ($2, $3))
                         order by linked_at desc, link_id desc limit $4""")
                .execute(row(taskKey, time(afterTime), afterId, limit + 1))
                .map(rows -> all(rows, row -> new LinkRow(row.getString("link_id"), new LinkView(row.getString("target"),
                        row.getString("repository_key"), row.getString("reference"), row.getString("found_in"),
                        row.getString("title"), authorOf(row), instant(row.getOffsetDateTime("linked_at"))))));
    }

    /** A link and its id, which pages need as the tie-breaker of their cursor. */
    public record LinkRow(String linkId, LinkView link) {
    }

    private static CommitView toCommit(Row row) {
        return new CommitView(row.getString("repository_key"), row.getString("hash"), row.getString("message"), authorOf(row),
                instant(row.getOffsetDateTime("committed_at")), List.of(row.getArrayOfStrings("parents")),
                List.of(row.getArrayOfStrings("paths")), List.of(row.getArrayOfStrings("branches")),
                row.getString("first_delivery_id"), instant(row.getOffsetDateTime("first_seen_at")));
    }

    private static PullRequestView toPullRequest(Row row, List<ReviewerView> reviewers, List<HistoryEntry> history) {
        return new PullRequestView(row.getString("repository_key"), row.getLong("id"), row.getString("title"),
                row.getString("description"), row.getString("state"),
                new Author(row.getString("author_name"), null, row.getString("author_account_id")),
                new Endpoint(row.getString("source_repository_key"), row.getString("source_branch"), row.getString("source_commit")),
                new Endpoint(row.getString("repository_key"), row.getString("destination_branch"), row.getString("destination_commit")),
                row.getString("merge_commit"), row.getBoolean("fork"), instant(row.getOffsetDateTime("created_at")),
                instant(row.getOffsetDateTime("updated_at")), reviewers, history);
    }

    private static Author authorOf(Row row) {
        return new Author(row.getString("author_name"), row.getString("author_email"), row.getString("author_account_id"));
    }

    private static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> items = new ArrayList<>();
        rows.forEach(row -> items.add(mapper.apply(row)));
        return items;
    }
}
