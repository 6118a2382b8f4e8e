package io.bitbridge.tracker.repository;

import io.bitbridge.events.Commit;
import io.bitbridge.events.Person;
import io.bitbridge.events.PullRequest;
import io.bitbridge.events.PullRequestAction;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PullRequestState;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.bitbridge.tracker.repository.Sql.array;
import static io.bitbridge.tracker.repository.Sql.row;
import static io.bitbridge.tracker.repository.Sql.time;

/**
 * Writes one event in one transaction with batched statements. Every insert is keyed by its natural key and every
 * update of current state is guarded by the event's time, so a redelivery or a replay of the topic changes nothing and
 * an older event arriving late never moves state backwards.
 */
@ApplicationScoped
public class HistoryWriter {
    private static final String INSERT_COMMIT = """
            insert into commits (repository_key, hash, message, author_name, author_email, author_account_id, committed_at,
                                 sort_at, parents, paths, first_delivery_id, first_seen_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            on conflict (repository_key, hash) do update set
                paths = excluded.paths,
                message = coalesce(commits.message, excluded.message),
                parents = case when cardinality(commits.parents) = 0 then excluded.parents else commits.parents end
            where (cardinality(commits.paths) = 0 and cardinality(excluded.paths) > 0)
               or (commits.message is null and excluded.message is not null)""";
    private static final String INSERT_COMMIT_BRANCH = """
            insert into commit_branches (repository_key, hash, branch, delivery_id, pushed_at) values ($1, $2, $3, $4, $5)
            on conflict do nothing""";
    private static final String INSERT_BRANCH_UPDATE = """
            insert into branch_updates (repository_key, branch, delivery_id, old_hash, new_hash, created, deleted, forced, at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing""";
    private static final String UPSERT_BRANCH = """
            insert into branches (repository_key, name, head, created_at, deleted_at, updated_at) values ($1, $2, $3, $4, $5, $6)
            on conflict (repository_key, name) do update set
                head = case when excluded.updated_at >= branches.updated_at then excluded.head else branches.head end,
                deleted_at = case when excluded.updated_at >= branches.updated_at then excluded.deleted_at else branches.deleted_at end,
                created_at = least(branches.created_at, excluded.created_at),
                updated_at = greatest(branches.updated_at, excluded.updated_at)""";
    /** A branch first stored after the pull request that merged it (the topics are read independently). */
    private static final String MARK_BRANCH_MERGED_EARLIER = """
            update branches b set merged_by_pull_request = p.id
              from (select id from pull_requests where repository_key = $1 and source_branch = $2 and state = 'MERGED'
                     and not fork order by updated_at desc limit 1) p
             where b.repository_key = $1 and b.name = $2 and b.merged_by_pull_request is null""";
    private static final String UPSERT_PULL_REQUEST = """
            insert into pull_requests (repository_key, id, title, description, state, author_name, author_account_id,
                                       source_repository_key, source_branch, source_commit, destination_branch,
                                       destination_commit, merge_commit, fork, created_at, updated_at, state_rank)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            on conflict (repository_key, id) do update set
                title = excluded.title, description = excluded.description, state = excluded.state,
                author_name = coalesce(excluded.author_name, pull_requests.author_name),
                author_account_id = coalesce(excluded.author_account_id, pull_requests.author_account_id),
                source_repository_key = excluded.source_repository_key, source_branch = excluded.source_branch,
                source_commit = excluded.source_commit, destination_branch = excluded.destination_branch,
                destination_commit = excluded.destination_commit,
                merge_commit = coalesce(excluded.merge_commit, pull_requests.merge_commit), fork = excluded.fork,
                created_at = coalesce(pull_requests.created_at, excluded.created_at),
                updated_at = excluded.updated_at, state_rank = excluded.state_rank
            where (excluded.updated_at, excluded.state_rank) > (pull_requests.updated_at, pull_requests.state_rank)""";
    private static final String INSERT_HISTORY = """
            insert into pull_request_history (repository_key, pull_request_id, delivery_id, action, state, actor_name,
                                              actor_account_id, source_commit, merge_commit, at, received_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict do nothing""";
    private static final String MARK_MERGED_BRANCH = """
            update branches set merged_by_pull_request = $3
            where repository_key = $1 and name = $2 and merged_by_pull_request is distinct from $3""";
    private static final String UPSERT_MEMBER = """
            insert into members (identity, account_id, email, display_name) values ($1, $2, $3, $4)
            on conflict (identity) do update set
                email = coalesce(members.email, excluded.email),
                display_name = coalesce(excluded.display_name, members.display_name)
            where members.email is null and excluded.email is not null
               or excluded.display_name is distinct from members.display_name and excluded.display_name is not null""";
    private static final String INSERT_ALIAS = "insert into member_aliases (identity, alias) values ($1, $2) on conflict do nothing";
    private static final String UPSERT_ACTIVITY = """
            insert into member_activity (identity, repository_key, first_at, last_at) values ($1, $2, $3, $3)
            on conflict (repository_key, identity) do update set
                first_at = least(member_activity.first_at, excluded.first_at),
                last_at = greatest(member_activity.last_at, excluded.last_at)
            where excluded.first_at < member_activity.first_at or excluded.last_at > member_activity.last_at""";
    private static final String INSERT_LINK = """
            insert into task_links (link_id, task_key, project_key, target, repository_key, reference, found_in, title,
                                    author_name, author_email, author_account_id, delivery_id, linked_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict (link_id) do nothing""";

    private final Pool pool;

    HistoryWriter(Pool pool) {
        this.pool = pool;
    }

    /** Records the push's branches, commits, authors and links; tags are not tracked. */
    public Uni<Void> recordPush(PushEvent push, List<TaskLink> links) {
        String repo = push.repository().key();
        Instant at = push.receivedAt();
        List<Tuple> branchUpdates = new ArrayList<>();
        List<Tuple> branches = new ArrayList<>();
        List<Tuple> branchNames = new ArrayList<>();
        Map<String, Tuple> commits = new LinkedHashMap<>();
        List<Tuple> commitBranches = new ArrayList<>();
        Activity activity = new Activity(repo);
        activity.saw(push.actor(), at);
        for (RefChange change : push.changes()) {
            if (change.refType() != RefType.BRANCH) {
                continue;
            }
            branchUpdates.add(row(repo, change.refName(), push.deliveryId(), change.oldHash(), change.newHash(),
                    change.created(), change.deleted(), change.forced(), time(at)));
            branches.add(row(repo, change.refName(), change.deleted() ? null : change.newHash(),
                    change.created() ? time(at) : null, change.deleted() ? time(at) : null, time(at)));
            branchNames.add(Tuple.of(repo, change.refName()));
            for (Commit commit : change.commits()) {
                commits.putIfAbsent(commit.hash(), row(repo, commit.hash(), commit.message(), Identities.nameOf(commit.author()),
                        commit.author().email(), commit.author().accountId(), time(commit.date()),
                        time(Objects.requireNonNullElse(commit.date(), at)), array(commit.parents()), array(commit.paths()),
                        push.deliveryId(), time(at)));
                commitBranches.add(row(repo, commit.hash(), change.refName(), push.deliveryId(), time(at)));
                activity.saw(commit.author(), Objects.requireNonNullElse(commit.date(), at));
            }
        }
        return pool.withTransaction(connection -> batch(connection, INSERT_BRANCH_UPDATE, branchUpdates)
                .chain(() -> batch(connection, UPSERT_BRANCH, branches))
                .chain(() -> batch(connection, MARK_BRANCH_MERGED_EARLIER, branchNames))
                .chain(() -> batch(connection, INSERT_COMMIT, new ArrayList<>(commits.values())))
                .chain(() -> batch(connection, INSERT_COMMIT_BRANCH, commitBranches))
                .chain(() -> activity.write(connection))
                .chain(() -> batch(connection, INSERT_LINK, links.stream().map(HistoryWriter::linkRow).toList())));
    }

    /** Records the pull request's newest known state (guarded by Bitbucket's updated time), its history row and links. */
    public Uni<Void> recordPullRequest(PullRequestEvent event, List<TaskLink> links) {
        String repo = event.repository().key();
        PullRequest pr = event.pullRequest();
        Instant at = eventTime(event);
        String state = stateAfter(event);
        String sourceRepo = pr.source().repositoryKey();
        boolean fork = sourceRepo != null && !sourceRepo.equals(repo);
        Tuple pullRequest = row(repo, pr.id(), pr.title(), pr.description(), state, Identities.nameOf(pr.author()),
                pr.author().accountId(), sourceRepo, pr.source().branch(), pr.source().commit(), pr.destination().branch(),
                pr.destination().commit(), pr.mergeCommit(), fork, time(pr.createdAt()), time(at), rank(state));
        Tuple history = row(repo, pr.id(), event.deliveryId(), event.action().name(), state, Identities.nameOf(event.actor()),
                event.actor().accountId(), pr.source().commit(), pr.mergeCommit(), time(at), time(event.receivedAt()));
        Activity activity = new Activity(repo);
        activity.saw(event.actor(), at);
        activity.saw(pr.author(), Objects.requireNonNullElse(pr.createdAt(), at));
        return pool.withTransaction(connection -> connection.preparedQuery(UPSERT_PULL_REQUEST).execute(pullRequest)
                .chain(() -> connection.preparedQuery(INSERT_HISTORY).execute(history))
                .chain(() -> event.action() == PullRequestAction.MERGED && !fork && pr.source().branch() != null
                        ? connection.preparedQuery(MARK_MERGED_BRANCH).execute(Tuple.of(repo, pr.source().branch(), pr.id()))
                        .replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .chain(() -> activity.write(connection))
                .chain(() -> batch(connection, INSERT_LINK, links.stream().map(HistoryWriter::linkRow).toList())));
    }

    /** Bitbucket's own time of this version of the pull request; the delivery's receipt time when it sent none. */
    public static Instant eventTime(PullRequestEvent event) {
        return Objects.requireNonNullElse(event.pullRequest().updatedAt(), event.receivedAt());
    }

    private static String stateAfter(PullRequestEvent event) {
        return switch (event.action()) {
            case DELETED -> "DELETED";
            case MERGED -> PullRequestState.MERGED.name();
            case DECLINED -> PullRequestState.DECLINED.name();
            default -> event.pullRequest().state().name();
        };
    }

    /** Breaks ties between versions with the same time: a closing state wins over an open one. */
    private static int rank(String state) {
        return switch (state) {
            case "MERGED", "DECLINED", "SUPERSEDED" -> 2;
            case "DELETED" -> 3;
            default -> 0;
        };
    }

    private static Tuple linkRow(TaskLink link) {
        Person author = link.author() == null ? Person.unknown() : link.author();
        return row(link.linkId(), link.taskKey(), link.projectKey(), link.target().name(), link.repositoryKey(), link.reference(),
                link.foundIn().name(), link.title(), Identities.nameOf(author), author.email(), author.accountId(),
                link.deliveryId(), time(link.linkedAt()));
    }

    private static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery(sql).executeBatch(rows).replaceWithVoid();
    }

    /** The people seen in one event, with the earliest and latest time each was active in the repository. */
    private static final class Activity {
        private final String repositoryKey;
        private final Map<String, Person> people = new LinkedHashMap<>();
        private final Map<String, Instant> first = new LinkedHashMap<>();
        private final Map<String, Instant> last = new LinkedHashMap<>();

        Activity(String repositoryKey) {
            this.repositoryKey = repositoryKey;
        }

        void saw(Person person, Instant at) {
            Identities.of(person).ifPresent(identity -> {
                people.putIfAbsent(identity, person);
                first.merge(identity, at, (a, b) -> a.isBefore(b) ? a : b);
                last.merge(identity, at, (a, b) -> a.isAfter(b) ? a : b);
            });
        }

        Uni<Void> write(SqlConnection connection) {
            List<Tuple> members = new ArrayList<>();
            List<Tuple> aliases = new ArrayList<>();
            List<Tuple> activity = new ArrayList<>();
            people.forEach((identity, person) -> {
                members.add(row(identity, person.accountId(), person.email(), Identities.nameOf(person)));
                for (String alias : new String[]{person.displayName(), person.username(), person.email()}) {
                    if (alias != null && !alias.isBlank()) {
                        aliases.add(Tuple.of(identity, alias));
                    }
                }
                activity.add(row(identity, repositoryKey, time(first.get(identity))));
                if (!last.get(identity).equals(first.get(identity))) {
                    activity.add(row(identity, repositoryKey, time(last.get(identity))));
                }
            });
            return batch(connection, UPSERT_MEMBER, members)
                    .chain(() -> batch(connection, INSERT_ALIAS, aliases))
                    .chain(() -> batch(connection, UPSERT_ACTIVITY, activity));
        }
    }
}
