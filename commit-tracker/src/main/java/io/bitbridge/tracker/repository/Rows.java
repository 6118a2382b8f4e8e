package io.bitbridge.tracker.repository;

import io.bitbridge.events.Commit;
import io.bitbridge.events.Person;
import io.bitbridge.events.RefChange;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.lang.reflect.Array;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import static io.bitbridge.tracker.repository.Sql.time;

/**
 * The rows of a batch of events, one collection per table, keyed (and so sorted, which gives concurrent transactions
 * one lock order) by each table's natural key. Rows that share a key are merged here as the statements would have
 * merged them one by one, because one multi-row {@code insert ... on conflict do update} must not touch a row twice.
 * Written with one statement per table: arrays of columns, {@code unnest}ed by PostgreSQL.
 */
final class Rows {
    private static final String INSERT_BRANCH_UPDATES = """
            insert into branch_updates (repository_key, branch, delivery_id, old_hash, new_hash, created, deleted, forced, at,
                                        commits_complete, expansion_note, paths)
            select x.r, x.b, x.d, x.o, x.n, x.c, x.del, x.f, x.at, x.complete, x.note,
                   case when x.paths is null then null else array(select jsonb_array_elements_text(x.paths::jsonb)) end
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bool[], $8::bool[],
                          $9::timestamptz[], $10::bool[], $11::text[], $12::text[])
                   as x(r, b, d, o, n, c, del, f, at, complete, note, paths)
            on conflict (repository_key, branch, delivery_id) do update set
                commits_complete = branch_updates.commits_complete or excluded.commits_complete,
                expansion_note = case when branch_updates.commits_complete or excluded.commits_complete then null
                                      else branch_updates.expansion_note end,
                paths = coalesce(branch_updates.paths, excluded.paths)
            where (not branch_updates.commits_complete and excluded.commits_complete)
               or (branch_updates.paths is null and excluded.paths is not null)""";
    /** A complete expansion of a ref move completes the same move stored incomplete, under any delivery id. */
    private static final String COMPLETE_EARLIER_UPDATES = """
            update branch_updates u set commits_complete = true, expansion_note = null
              from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as x(r, b, o, n)
             where u.repository_key = x.r and u.branch = x.b and u.old_hash is not distinct from x.o
               and u.new_hash is not distinct from x.n and not u.commits_complete""";
    private static final String UPSERT_BRANCHES = """
            insert into branches (repository_key, name, head, created_at, deleted_at, updated_at, updated_delivery)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
                                 $7::text[])
            on conflict (repository_key, name) do update set
                head = case when NEWER then excluded.head else branches.head end,
                deleted_at = case when NEWER then excluded.deleted_at else branches.deleted_at end,
                updated_at = case when NEWER then excluded.updated_at else branches.updated_at end,
                updated_delivery = case when NEWER then excluded.updated_delivery else branches.updated_delivery end,
                created_at = least(branches.created_at, excluded.created_at)
            where NEWER or excluded.created_at < branches.created_at
               or (branches.created_at is null and excluded.created_at is not null)"""
            .replace("NEWER", "(excluded.updated_at, excluded.updated_delivery) > (branches.updated_at, coalesce(branches.updated_delivery, ''))");
    /** A branch first stored after the pull request that merged it (the topics are read independently). */
    private static final String MARK_BRANCHES_MERGED_EARLIER = """
            update branches b set merged_by_pull_request = p.id
              from unnest($1::text[], $2::text[]) as x(r, n)
              cross join lateral (select id from pull_requests where repository_key = x.r and source_branch = x.n
                                   and state = 'MERGED' and not fork order by id desc limit 1) p
             where b.repository_key = x.r and b.name = x.n
               and (b.merged_by_pull_request is null or b.merged_by_pull_request < p.id)""";
    private static final String INSERT_COMMITS = """
            insert into commits (repository_key, hash, message, author_name, author_email, author_account_id, committed_at,
                                 sort_at, parents, paths, first_delivery_id, first_seen_at)
            select x.r, x.h, x.m, x.an, x.ae, x.aa, x.ca, x.sa,
                   string_to_array(x.parents, ' '),
                   case when x.paths is null then '{}' else array(select jsonb_array_elements_text(x.paths::jsonb)) end,
                   x.d, x.fs
              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                          $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
                   as x(r, h, m, an, ae, aa, ca, sa, parents, paths, d, fs)
            on conflict (repository_key, hash) do update set
                paths = case when cardinality(commits.paths) = 0 then excluded.paths else commits.paths end,
                message = coalesce(commits.message, excluded.message),
                parents = case when cardinality(commits.parents) = 0 then excluded.parents else commits.parents end,
                first_delivery_id = case when EARLIER then excluded.first_delivery_id else commits.first_delivery_id end,
                first_seen_at = case when EARLIER then excluded.first_seen_at else commits.first_seen_at end
            where (cardinality(commits.paths) = 0 and cardinality(excluded.paths) > 0)
               or (commits.message is null and excluded.message is not null)
               or (cardinality(commits.parents) = 0 and cardinality(excluded.parents) > 0)
               or EARLIER"""
            .replace("EARLIER", "(excluded.first_seen_at, excluded.first_delivery_id) < (commits.first_seen_at, commits.first_delivery_id)");
    private static final String INSERT_COMMIT_BRANCHES = """
            insert into commit_branches (repository_key, hash, branch, delivery_id, pushed_at)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
            on conflict (repository_key, hash, branch) do update set delivery_id = excluded.delivery_id, pushed_at = excluded.pushed_at
            where (excluded.pushed_at, excluded.delivery_id) < (commit_branches.pushed_at, commit_branches.delivery_id)""";
    private static final String INSERT_LINKS = """
            insert into task_links (link_id, task_key, project_key, target, repository_key, reference, found_in, title,
                                    author_name, author_email, author_account_id, delivery_id, linked_at)
            select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                 $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[])
            on conflict (link_id) do update set
                task_key = excluded.task_key, project_key = excluded.project_key, target = excluded.target,
                repository_key = excluded.repository_key, reference = excluded.reference, found_in = excluded.found_in,
                title = excluded.title, author_name = excluded.author_name, author_email = excluded.author_email,
                author_account_id = excluded.author_account_id, delivery_id = excluded.delivery_id, linked_at = excluded.linked_at
            where (excluded.linked_at, excluded.delivery_id) < (task_links.linked_at, task_links.delivery_id)
            returning link_id, xmax = 0 as created""";

    private static final Class<?> T = String.class;
    private static final Class<?> B = Boolean.class;
    private static final Class<?> TS = OffsetDateTime.class;

    final People people = new People();
    private final Map<String, Object[]> branchUpdates = new TreeMap<>();
    private final Map<String, Object[]> branches = new TreeMap<>();
    private final Map<String, Object[]> commits = new TreeMap<>();
    private final Map<String, Object[]> commitBranches = new TreeMap<>();
    private final Map<String, Object[]> completedMoves = new TreeMap<>();
    private final Map<String, Object[]> links = new TreeMap<>();
    private final Map<String, TaskLink> linkFindings = new TreeMap<>();

    void branchUpdate(String repo, RefChange change, String deliveryId, Instant at) {
        String branch = change.refName();
        Object[] update = {repo, branch, deliveryId, change.oldHash(), change.newHash(), change.created(), change.deleted(),
                change.forced(), time(at), change.commitsComplete(), change.commitsComplete() ? null : change.expansionNote(),
                change.paths() == null ? null : Sql.json(change.paths())};
        branchUpdates.merge(key(repo, branch, deliveryId), update, (stored, later) -> {
            stored[9] = (Boolean) stored[9] || (Boolean) later[9];
            stored[10] = (Boolean) stored[9] ? null : stored[10];
            stored[11] = stored[11] != null ? stored[11] : later[11];
            return stored;
        });
        if (change.commitsComplete()) {
            completedMoves.put(key(repo, branch, change.oldHash(), change.newHash()), new Object[]{repo, branch, change.oldHash(), change.newHash()});
        }
        OffsetDateTime when = time(at);
        Object[] state = {repo, branch, change.deleted() ? null : change.newHash(), change.created() ? when : null,
                change.deleted() ? when : null, when, deliveryId};
        branches.merge(key(repo, branch), state, (stored, later) -> {
            OffsetDateTime created = earliest((OffsetDateTime) stored[3], (OffsetDateTime) later[3]);
            Object[] newest = before(stored[5], stored[6], later[5], later[6]) ? later : stored;
            return new Object[]{repo, branch, newest[2], created, newest[4], newest[5], newest[6]};
        });
    }

    void commit(String repo, Commit commit, List<String> paths, String deliveryId, Instant at) {
        Object[] row = {repo, commit.hash(), commit.message(), Identities.nameOf(commit.author()), commit.author().email(),
                commit.author().accountId(), time(commit.date()), time(Objects.requireNonNullElse(commit.date(), at)),
                String.join(" ", commit.parents()), paths.isEmpty() ? null : Sql.json(paths), deliveryId, time(at)};
        commits.merge(key(repo, commit.hash()), row, (stored, later) -> {
            if (before(later[11], later[10], stored[11], stored[10])) {
                stored[10] = later[10];
                stored[11] = later[11];
            }
            stored[2] = stored[2] != null ? stored[2] : later[2];
            stored[8] = "".equals(stored[8]) ? later[8] : stored[8];
            stored[9] = stored[9] == null ? later[9] : stored[9];
            return stored;
        });
    }

    void commitBranch(String repo, String hash, String branch, String deliveryId, Instant at) {
        commitBranches.merge(key(repo, hash, branch), new Object[]{repo, hash, branch, deliveryId, time(at)},
                (stored, later) -> before(later[4], later[3], stored[4], stored[3]) ? later : stored);
    }

    void links(List<TaskLink> found) {
        for (TaskLink link : found) {
            Person author = link.author() == null ? Person.unknown() : link.author();
            Object[] row = {link.linkId(), link.taskKey(), link.projectKey(), link.target().name(),
                    link.repositoryKey(), link.reference(), link.foundIn().name(), link.title(), Identities.nameOf(author),
                    author.email(), author.accountId(), link.deliveryId(), time(link.linkedAt())};
            Object[] stored = links.get(link.linkId());
            if (stored == null || before(row[12], row[11], stored[12], stored[11])) {
                links.put(link.linkId(), row);
                linkFindings.put(link.linkId(), link);
            }
        }
    }

    /**
     * Links, branches, commits, then people: every table once (the people in {@link People#write}), all statements
     * sent at once (pipelined on the connection, run by PostgreSQL one after the other in this order). The links this
     * batch created (not those stored before, even when this batch found them earlier and re-dated them) go to
     * {@code announce} as soon as their statement returns, so Kafka acknowledges them while the other statements
     * run; the returned {@code Uni} completes when every statement is done and {@code announce} completed.
     */
    Uni<Void> write(SqlConnection connection, Function<List<TaskLink>, Uni<Void>> announce) {
        List<Uni<Void>> statements = new ArrayList<>();
        statements.add(insertLinks(connection).chain(announce::apply));
        statements.add(many(connection, INSERT_BRANCH_UPDATES, branchUpdates, T, T, T, T, T, B, B, B, TS, B, T, T));
        statements.add(many(connection, COMPLETE_EARLIER_UPDATES, completedMoves, T, T, T, T));
        statements.add(many(connection, UPSERT_BRANCHES, branches, T, T, T, TS, TS, TS, T));
        statements.add(many(connection, MARK_BRANCHES_MERGED_EARLIER, branches, T, T));
        statements.add(many(connection, INSERT_COMMITS, commits, T, T, T, T, T, T, TS, TS, T, T, T, TS));
        statements.add(many(connection, INSERT_COMMIT_BRANCHES, commitBranches, T, T, T, T, TS));
        people.write(connection, statements);
        return all(statements);
    }

    /** The batch's links, inserted; yields the ones the statement created. */
    private Uni<List<TaskLink>> insertLinks(SqlConnection connection) {
        if (links.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return connection.preparedQuery(INSERT_LINKS).execute(arrays(links, T, T, T, T, T, T, T, T, T, T, T, T, TS))
                .map(rows -> {
                    List<TaskLink> created = new ArrayList<>();
                    rows.forEach(row -> {
                        if (row.getBoolean("created")) {
                            created.add(linkFindings.get(row.getString("link_id")));
                        }
                    });
                    return created;
                });
    }

    /**
     * Subscribes to every statement at once, in list order: the connection sends them one after the other without
     * waiting for each result (pipelining), and PostgreSQL runs them in that order. Completes when all are done;
     * fails with the first failure (the transaction is then rolled back, the later statements having failed too).
     */
    static Uni<Void> all(List<Uni<Void>> statements) {
        return statements.isEmpty() ? Uni.createFrom().voidItem() : Uni.combine().all().unis(statements).discardItems();
    }

    /** One statement for all rows: column {@code i} of every row becomes array parameter {@code $i+1}. */
    static Uni<Void> many(SqlConnection connection, String sql, Map<String, Object[]> rows, Class<?>... columns) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(sql).execute(arrays(rows, columns)).replaceWithVoid();
    }

    private static Tuple arrays(Map<String, Object[]> rows, Class<?>... columns) {
        Object[][] sorted = rows.values().toArray(Object[][]::new);   // the map walked once, not once per column
        Tuple arrays = Tuple.tuple();
        for (int column = 0; column < columns.length; column++) {
            Object[] values = (Object[]) Array.newInstance(columns[column], sorted.length);
            for (int i = 0; i < sorted.length; i++) {
                values[i] = sorted[i][column];
            }
            arrays.addValue(values);
        }
        return arrays;
    }

    /** One statement per tuple, pipelined: for statements whose effect depends on the order of the events. */
    static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> tuples) {
        return tuples.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery(sql).executeBatch(tuples).replaceWithVoid();
    }

    /** Whether (time a, id a) sorts before (time b, id b): the tie-break every "newest" and "first" here uses. */
    private static boolean before(Object timeA, Object idA, Object timeB, Object idB) {
        int order = ((OffsetDateTime) timeA).compareTo((OffsetDateTime) timeB);
        return order < 0 || order == 0 && ((String) idA).compareTo((String) idB) < 0;
    }

    private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.isBefore(b) ? a : b;
    }

    /** A map key from key columns (null allowed), sorting as the columns do. */
    static String key(String... parts) {
        int length = parts.length;
        for (String part : parts) {
            length += part == null ? 0 : part.length();
        }
        StringBuilder key = new StringBuilder(length);
        for (String part : parts) {
            key.append(part == null ? "" : part).append(part == null ? '\u0002' : '\u0001');
        }
        return key.toString();
    }

    /**
     * The people of a batch: one member per identity (account, else e-mail), their aliases, first and last activity per
     * repository, the addresses each account showed; then every e-mail-only member whose address an account showed is
     * merged into that account (aliases and activity moved, the e-mail member removed).
     */
    static final class People {
        /**
         * Every batch names the same few people, and {@code on conflict do update} locks the stored row even where its
         * {@code where} leaves it as it is, until the transaction commits: concurrent batches (one per partition) would
         * queue behind each other on these rows. So rows that would change nothing are left out first by a plain read
         * (no lock); the conflict clause still decides on the current row. Both conditions only ever move a member
         * forward (smaller e-mail, newer name), so a row a stale read keeps is one the current row still decides on, and
         * a row it drops changes nothing. Rows keep the batch's (sorted) order: one lock order for every transaction.
         */
        private static final String UPSERT_MEMBERS = """
                insert into members (identity, account_id, email, display_name, display_name_at)
                select x.identity, x.account_id, x.email, x.display_name, x.display_name_at
                  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) with ordinality
                       as x(identity, account_id, email, display_name, display_name_at, n)
                 where not exists (select 1 from members m where m.identity = x.identity and not coalesce(CHANGES, false))
                 order by x.n
                on conflict (identity) do update set
                    email = least(members.email, excluded.email),
                    display_name = case when NEWER then excluded.display_name else members.display_name end,
                    display_name_at = case when NEWER then excluded.display_name_at else members.display_name_at end
                where CHANGES_STORED"""
                .replace("CHANGES_STORED", changes("excluded", "members"))
                .replace("CHANGES", changes("x", "m"))
                .replace("NEWER", newer("excluded", "members"));

        /** Whether row {@code in} changes member {@code stored}: a smaller (or first) e-mail, or a newer display name. */
        private static String changes(String in, String stored) {
            return "%1$s.email < %2$s.email or (%2$s.email is null and %1$s.email is not null) or %3$s"
                    .formatted(in, stored, newer(in, stored));
        }

        private static String newer(String in, String stored) {
            return ("(%1$s.display_name is not null and (%2$s.display_name_at is null"
                    + " or (%1$s.display_name_at, %1$s.display_name) > (%2$s.display_name_at, %2$s.display_name)))").formatted(in, stored);
        }
        private static final String INSERT_ALIASES = """
                insert into member_aliases (identity, alias) select * from unnest($1::text[], $2::text[]) on conflict do nothing""";
        private static final String UPSERT_ACTIVITY = """
                insert into member_activity (identity, repository_key, first_at, last_at)
                select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
                on conflict (repository_key, identity) do update set
                    first_at = least(member_activity.first_at, excluded.first_at),
                    last_at = greatest(member_activity.last_at, excluded.last_at)
                where excluded.first_at < member_activity.first_at or excluded.last_at > member_activity.last_at""";
        private static final String CLAIM_EMAILS = """
                insert into member_emails (email, identity) select * from unnest($1::text[], $2::text[]) on conflict do nothing""";
        /** The e-mail-only members of these addresses, merged into the accounts that showed them. */
        private static final String MERGE_EMAIL_MEMBERS = """
                with owners as (select e.email, e.identity, 'email:' || e.email as alias_identity
                                  from member_emails e where e.email = any($1)),
                     moved_aliases as (insert into member_aliases (identity, alias)
                                       select o.identity, a.alias from owners o join member_aliases a on a.identity = o.alias_identity
                                       on conflict do nothing),
                     moved_activity as (insert into member_activity (identity, repository_key, first_at, last_at)
                                        select o.identity, a.repository_key, min(a.first_at), max(a.last_at)
                                          from owners o join member_activity a on a.identity = o.alias_identity
                                         group by o.identity, a.repository_key
                                        on conflict (repository_key, identity) do update set
                                            first_at = least(member_activity.first_at, excluded.first_at),
                                            last_at = greatest(member_activity.last_at, excluded.last_at)),
                     dropped_aliases as (delete from member_aliases where identity in (select alias_identity from owners)),
                     dropped_activity as (delete from member_activity where identity in (select alias_identity from owners))
                delete from members where identity in (select alias_identity from owners)""";

        private final Map<String, Object[]> members = new TreeMap<>();
        private final Map<String, Object[]> aliases = new TreeMap<>();
        private final Map<String, Object[]> activity = new TreeMap<>();
        private final Map<String, Object[]> emails = new TreeMap<>();
        private final TreeSet<String> seenEmails = new TreeSet<>();

        /**
         * A person seen in a repository, first at {@code times[0]} and last at {@code times[1]}: a batch names the same
         * few people over and over, so each (repository, person) is turned into rows once, with its earliest and latest
         * time, which gives the rows every sighting would have given (in order of first sighting, so an address two
         * accounts show still goes to the first).
         */
        private final Map<RepositoryPerson, Instant[]> sightings = new LinkedHashMap<>();

        private record RepositoryPerson(String repositoryKey, Person person) {
        }

        void saw(String repositoryKey, Person person, Instant at) {
            if (person == null || at == null) {
                toRows(repositoryKey, person, at);
                return;
            }
            sightings.merge(new RepositoryPerson(repositoryKey, person), new Instant[]{at, at}, (stored, later) -> {
                stored[0] = later[0].isBefore(stored[0]) ? later[0] : stored[0];
                stored[1] = later[1].isAfter(stored[1]) ? later[1] : stored[1];
                return stored;
            });
        }

        private void sightingsToRows() {
            sightings.forEach((seen, times) -> {
                toRows(seen.repositoryKey(), seen.person(), times[0]);
                if (!times[1].equals(times[0])) {
                    toRows(seen.repositoryKey(), seen.person(), times[1]);
                }
            });
            sightings.clear();
        }

        private void toRows(String repositoryKey, Person person, Instant at) {
            Identities.of(repositoryKey, person).ifPresent(identity -> {
                String name = Identities.nameOf(person);
                OffsetDateTime when = time(at);
                String email = Identities.emailOf(person).orElse(null);
                Object[] member = {identity, person.accountId(), email, name, name == null ? null : when};
                members.merge(identity, member, (stored, later) -> {
                    stored[2] = stored[2] == null || later[2] != null && ((String) later[2]).compareTo((String) stored[2]) < 0
                            ? later[2] : stored[2];
                    if (later[3] != null && (stored[3] == null || before(stored[4], stored[3], later[4], later[3]))) {
                        stored[3] = later[3];
                        stored[4] = later[4];
                    }
                    return stored;
                });
                for (String alias : new String[]{person.displayName(), person.username(), person.email()}) {
                    if (alias != null && !alias.isBlank()) {
                        aliases.putIfAbsent(key(identity, alias), new Object[]{identity, alias});
                    }
                }
                activity.merge(key(repositoryKey, identity), new Object[]{identity, repositoryKey, when, when}, (stored, later) -> {
                    stored[2] = earliest((OffsetDateTime) stored[2], (OffsetDateTime) later[2]);
                    stored[3] = ((OffsetDateTime) stored[3]).isAfter((OffsetDateTime) later[3]) ? stored[3] : later[3];
                    return stored;
                });
                if (email != null) {
                    seenEmails.add(email);
                    if (identity.startsWith(Identities.ACCOUNT)) {
                        emails.putIfAbsent(email, new Object[]{email, identity});
                    }
                }
            });
        }

        /** Adds the people's statements to {@code statements} (members, aliases, activity, e-mails, then merges). */
        void write(SqlConnection connection, List<Uni<Void>> statements) {
            sightingsToRows();
            statements.add(many(connection, UPSERT_MEMBERS, members, T, T, T, T, TS));
            statements.add(many(connection, INSERT_ALIASES, aliases, T, T));
            statements.add(many(connection, UPSERT_ACTIVITY, activity, T, T, TS, TS));
            statements.add(many(connection, CLAIM_EMAILS, emails, T, T));
            if (!seenEmails.isEmpty()) {
                statements.add(connection.preparedQuery(MERGE_EMAIL_MEMBERS).execute(Tuple.of(seenEmails.toArray(String[]::new)))
                        .replaceWithVoid());
            }
        }
    }
}
