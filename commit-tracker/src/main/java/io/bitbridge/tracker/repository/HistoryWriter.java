package io.bitbridge.tracker.repository;

import io.bitbridge.events.Commit;
import io.bitbridge.events.PullRequest;
import io.bitbridge.events.PullRequestAction;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PullRequestState;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.ReviewStatus;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static io.bitbridge.tracker.repository.Sql.row;
import static io.bitbridge.tracker.repository.Sql.time;

/**
 * Writes a batch of events (one or many) in one transaction: rows of every event are gathered per table
 * ({@link Rows}), merged where one statement must not touch a row twice, and written with one multi-row statement per
 * table ({@code unnest} of arrays); the few statements whose effect depends on the order of events (a pull request's
 * newest version, its reviewer list, merges) run per event, pipelined. Every insert is keyed by its natural key and
 * every update of current state is guarded by the event's time, so a redelivery or a replay changes nothing and an
 * older event arriving late never moves state backwards.
 */
@ApplicationScoped
public class HistoryWriter {
    private static final String UPSERT_PULL_REQUEST = """
            insert into pull_requests (repository_key, id, title, description, state, author_name, author_account_id,
                                       source_repository_key, source_branch, source_commit, destination_branch,
                                       destination_commit, merge_commit, fork, created_at, updated_at, state_rank,
                                       version_received_at, version_delivery)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            on conflict (repository_key, id) do update set
                title = excluded.title, description = excluded.description, state = excluded.state,
                author_name = coalesce(excluded.author_name, pull_requests.author_name),
                author_account_id = coalesce(excluded.author_account_id, pull_requests.author_account_id),
                source_repository_key = excluded.source_repository_key, source_branch = excluded.source_branch,
                source_commit = excluded.source_commit, destination_branch = excluded.destination_branch,
                destination_commit = excluded.destination_commit, merge_commit = coalesce(excluded.merge_commit, pull_requests.merge_commit),
                fork = excluded.fork, created_at = coalesce(excluded.created_at, pull_requests.created_at), updated_at = excluded.updated_at, state_rank = excluded.state_rank,
                version_received_at = excluded.version_received_at, version_delivery = excluded.version_delivery
            where (excluded.updated_at, excluded.state_rank, excluded.version_received_at, excluded.version_delivery)
                > (pull_requests.updated_at, pull_requests.state_rank,
                   coalesce(pull_requests.version_received_at, '-infinity'), coalesce(pull_requests.version_delivery, ''))""";
    /**
     * What does not change once known (author, creation, merge commit) is filled in from any delivery, older ones too,
     * so the row ends the same whatever order the deliveries came in.
     */
    private static final String FILL_PULL_REQUEST = """
            update pull_requests set merge_commit = coalesce(merge_commit, $3::text), created_at = coalesce(created_at, $4::timestamptz),
                   author_name = coalesce(author_name, $5::text), author_account_id = coalesce(author_account_id, $6::text)
             where repository_key = $1 and id = $2
               and (merge_commit is null and $3::text is not null or created_at is null and $4::timestamptz is not null
                    or author_name is null and $5::text is not null or author_account_id is null and $6::text is not null)""";
    private static final String INSERT_HISTORY = """
            insert into pull_request_history (repository_key, pull_request_id, delivery_id, action, state, actor_name,
                                              actor_account_id, source_commit, merge_commit, at, received_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict do nothing""";
    /** The delivery becomes the pull request's reviewer version if it is newer (time, receipt, id) than the stored one. */
    private static final String CLAIM_REVIEWERS = """
            update pull_requests set reviewers_at = $3, reviewers_received_at = $4, reviewers_delivery = $5
             where repository_key = $1 and id = $2
               and (reviewers_at is null or (reviewers_at, reviewers_received_at, reviewers_delivery) < ($3, $4, $5))""";
    private static final String REVIEWERS_VERSION_IS = """
            exists(select 1 from pull_requests p where p.repository_key = $1::text and p.id = $2::bigint
                   and (p.reviewers_at, p.reviewers_received_at, p.reviewers_delivery) = ($3::timestamptz, $4::timestamptz, $5::text))""";
    private static final String DROP_REVIEWERS = """
            delete from pull_request_reviewers r where r.repository_key = $1 and r.pull_request_id = $2
               and not (r.identity = any($6::text[])) and\n""" + REVIEWERS_VERSION_IS;
    private static final String UPSERT_REVIEWERS = """
            insert into pull_request_reviewers (repository_key, pull_request_id, identity, name, account_id, status, approved)
            select $1::text, $2::bigint, x.identity, x.name, x.account_id, x.status, x.approved
              from unnest($6::text[], $7::text[], $8::text[], $9::text[], $10::bool[]) as x(identity, name, account_id, status, approved)
             where\n""" + REVIEWERS_VERSION_IS + "\n" + """
            on conflict (repository_key, pull_request_id, identity) do update set
                name = excluded.name, account_id = excluded.account_id, status = excluded.status, approved = excluded.approved
            where (excluded.status, excluded.approved, excluded.name, excluded.account_id) is distinct from
                  (pull_request_reviewers.status, pull_request_reviewers.approved, pull_request_reviewers.name,
                   pull_request_reviewers.account_id)""";
    /** The branch's latest merge (the highest pull request id) is the one that closed it. */
    private static final String MARK_MERGED_BRANCH = """
            update branches set merged_by_pull_request = $3
            where repository_key = $1 and name = $2 and (merged_by_pull_request is null or merged_by_pull_request < $3)""";

    private final Pool pool;

    HistoryWriter(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records the pushes' branches, commits, authors and links (tags are not tracked); before the transaction commits,
     * {@code announce} gets the links it created and must complete once they are announced.
     */
    public Uni<Void> recordPushes(List<PushEvent> pushes, List<TaskLink> links, Function<List<TaskLink>, Uni<Void>> announce) {
        Rows rows = new Rows();
        for (PushEvent push : pushes) {
            addPush(rows, push);
        }
        rows.links(links);
        return pool.withTransaction(connection -> rows.write(connection, announce));
    }

    /** Records each pull request's newest known state (guarded by Bitbucket's updated time), history, reviewers and links. */
    public Uni<Void> recordPullRequests(List<PullRequestEvent> events, List<TaskLink> links,
                                        Function<List<TaskLink>, Uni<Void>> announce) {
        Rows rows = new Rows();
        List<Tuple> pullRequests = new ArrayList<>();
        List<Tuple> fills = new ArrayList<>();
        List<Tuple> history = new ArrayList<>();
        List<Tuple> reviewerClaims = new ArrayList<>();
        List<Tuple> reviewerDrops = new ArrayList<>();
        List<Tuple> reviewerRows = new ArrayList<>();
        List<Tuple> merges = new ArrayList<>();
        for (PullRequestEvent event : events) {
            String repo = event.repository().key();
            PullRequest pr = event.pullRequest();
            Instant at = eventTime(event);
            String state = stateAfter(event);
            String sourceRepo = pr.source().repositoryKey();
            boolean fork = sourceRepo != null && !sourceRepo.equals(repo);
            pullRequests.add(row(repo, pr.id(), pr.title(), pr.description(), state, Identities.nameOf(pr.author()),
                    pr.author().accountId(), sourceRepo, pr.source().branch(), pr.source().commit(), pr.destination().branch(),
                    pr.destination().commit(), pr.mergeCommit(), fork, time(pr.createdAt()), time(at), rank(state),
                    time(event.receivedAt()), event.deliveryId()));
            fills.add(row(repo, pr.id(), pr.mergeCommit(), time(pr.createdAt()), Identities.nameOf(pr.author()), pr.author().accountId()));
            history.add(row(repo, pr.id(), event.deliveryId(), event.action().name(), state, Identities.nameOf(event.actor()),
                    event.actor().accountId(), pr.source().commit(), pr.mergeCommit(), time(at), time(event.receivedAt())));
            addReviewers(event, at, reviewerClaims, reviewerDrops, reviewerRows);
            if (event.action() == PullRequestAction.MERGED && !fork && pr.source().branch() != null) {
                merges.add(Tuple.of(repo, pr.source().branch(), pr.id()));
            }
            rows.people.saw(repo, event.actor(), at);
            rows.people.saw(repo, pr.author(), Objects.requireNonNullElse(pr.createdAt(), at));
            for (PullRequest.Reviewer reviewer : pr.reviewers()) {
                if (reviewer.status() == ReviewStatus.APPROVED || reviewer.status() == ReviewStatus.CHANGES_REQUESTED) {
                    rows.people.saw(repo, reviewer.person(), at);
                }
            }
        }
        rows.links(links);
        return pool.withTransaction(connection -> Rows.batch(connection, UPSERT_PULL_REQUEST, pullRequests)
                .chain(() -> Rows.batch(connection, FILL_PULL_REQUEST, fills))
                .chain(() -> Rows.batch(connection, INSERT_HISTORY, history))
                .chain(() -> Rows.batch(connection, CLAIM_REVIEWERS, reviewerClaims))
                .chain(() -> Rows.batch(connection, DROP_REVIEWERS, reviewerDrops))
                .chain(() -> Rows.batch(connection, UPSERT_REVIEWERS, reviewerRows))
                .chain(() -> Rows.batch(connection, MARK_MERGED_BRANCH, merges))
                .chain(() -> rows.write(connection, announce)));
    }

    private static void addPush(Rows rows, PushEvent push) {
        String repo = push.repository().key();
        Instant at = push.receivedAt();
        rows.people.saw(repo, push.actor(), at);
        for (RefChange change : push.changes()) {
            if (change.refType() != RefType.BRANCH) {
                continue;
            }
            rows.branchUpdate(repo, change, push.deliveryId(), at);
            for (Commit commit : change.commits()) {
                rows.commit(repo, commit, pathsOf(commit, change), push.deliveryId(), at);
                rows.commitBranch(repo, commit.hash(), change.refName(), push.deliveryId(), at);
                rows.people.saw(repo, commit.author(), Objects.requireNonNullElse(commit.date(), at));
            }
        }
    }

    /**
     * The commit's own paths when the event carries them; else the change's paths when they are exactly this commit's
     * (the change moved the ref by this one commit, from its only parent); else none.
     */
    static List<String> pathsOf(Commit commit, RefChange change) {
        if (!commit.paths().isEmpty() || change.paths() == null) {
            return commit.paths();
        }
        boolean onlyCommitOfTheMove = change.commits().size() == 1 && commit.hash().equals(change.newHash())
                && change.oldHash() != null && commit.parents().equals(List.of(change.oldHash()));
        return onlyCommitOfTheMove ? change.paths() : List.of();
    }

    /** The reviewer list of this delivery, applied if it is the newest the pull request has seen. */
    private static void addReviewers(PullRequestEvent event, Instant at, List<Tuple> claims, List<Tuple> drops, List<Tuple> upserts) {
        String repo = event.repository().key();
        long id = event.pullRequest().id();
        List<String> identities = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        List<Boolean> approved = new ArrayList<>();
        for (PullRequest.Reviewer reviewer : event.pullRequest().reviewers()) {
            String identity = Identities.ofReviewer(repo, reviewer.person());
            if (identity == null || identities.contains(identity)) {
                continue;
            }
            identities.add(identity);
            names.add(Identities.nameOf(reviewer.person()));
            accounts.add(reviewer.person().accountId());
            statuses.add(reviewer.status().name());
            approved.add(reviewer.approved());
        }
        claims.add(row(repo, id, time(at), time(event.receivedAt()), event.deliveryId()));
        drops.add(row(repo, id, time(at), time(event.receivedAt()), event.deliveryId(), Sql.array(identities)));
        upserts.add(row(repo, id, time(at), time(event.receivedAt()), event.deliveryId(), Sql.array(identities),
                Sql.array(names), Sql.array(accounts), Sql.array(statuses), approved.toArray(Boolean[]::new)));
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
}
