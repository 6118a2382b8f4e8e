package io.bitbridge.scraper.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.scraper.discovery.CatalogDiff.Change;
import io.bitbridge.scraper.discovery.CatalogDiff.Stored;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The credentials this service scrapes and the repositories each one lists (PostgreSQL, schema from Flyway). A scrape's
 * result is applied in one transaction under a per-credential lock, so two scrapes of one credential (a lifecycle
 * event, the schedule, an admin's refresh, on any instance) never interleave: the second finds the first's result and
 * publishes only what changed since.
 */
@ApplicationScoped
public class RepositoryStore {
    private static final TypeReference<List<RepositoryRef.CloneUrl>> CLONE_URLS = new TypeReference<>() {
    };

    private final Pool pool;

    RepositoryStore(Pool pool) {
        this.pool = pool;
    }

    /** A repository as the API shows it. */
    public record RepositoryView(String key, Provider provider, String host, String owner, String slug, String name,
                                 String mainBranch, boolean privateRepository, String htmlUrl,
                                 List<RepositoryRef.CloneUrl> cloneUrls, Instant firstSeenAt, Instant lastSeenAt,
                                 boolean removed, Instant removedAt) {
    }

    /** What is stored of a listed repository's default branch: its name (null: unknown) and when it was last read. */
    public record DefaultBranch(String name, Instant readAt) {
    }

    /**
     * Records a lifecycle event of the credential unless a later (or the same) one was recorded already, and says
     * whether this caller claimed it: of all instances reading the event, exactly one gets true. {@code scrape} marks
     * the scrape the event asks for as started, so the schedule does not start another.
     */
    public Uni<Boolean> claimLifecycleEvent(String credentialId, String status, boolean deleted, Instant occurredAt, boolean scrape) {
        return pool.preparedQuery("""
                        insert into credentials (credential_id, status, deleted, last_event_at, scrape_started_at)
                        values ($1, $2, $3, $4, case when $5 then now() end)
                        on conflict (credential_id) do update
                           set status = excluded.status, deleted = excluded.deleted, last_event_at = excluded.last_event_at,
                               scrape_started_at = case when $5 then now() else credentials.scrape_started_at end
                         where credentials.last_event_at is null or credentials.last_event_at < excluded.last_event_at
                        returning credential_id""")
                .execute(Tuple.from(Arrays.asList(credentialId, status, deleted, time(occurredAt), scrape)))
                .map(rows -> rows.size() == 1);
    }

    /**
     * Claims the credentials due for a scheduled scrape (up, not deleted, no scrape started within {@code interval}) and
     * marks their scrape started, so another instance's schedule does not take them too.
     */
    public Uni<List<String>> claimDue(Duration interval) {
        return pool.preparedQuery("""
                        update credentials set scrape_started_at = now()
                         where status = 'UP' and not deleted
                           and (scrape_started_at is null or scrape_started_at < now() - make_interval(secs => $1))
                        returning credential_id""")
                .execute(Tuple.of(interval.toMillis() / 1000.0))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("credential_id")));
                    ids.sort(null);
                    return ids;
                });
    }

    /**
     * Applies a complete listing of the credential's repositories: new or returning ones stored, changed ones updated,
     * all listed ones seen at {@code now}, stored ones no longer listed marked removed, the default branches of
     * {@code defaultBranchRead} recorded as read at {@code now}. {@code publish} receives the
     * changes inside the transaction: when it fails, nothing is stored and the next scrape finds the same changes.
     */
    public Uni<List<Change>> apply(String credentialId, List<CatalogEntry> listing, Set<String> defaultBranchRead, Instant now,
                                   Function<List<Change>, Uni<Void>> publish) {
        List<CatalogEntry> listed = CatalogDiff.distinct(listing);
        return pool.withTransaction(connection -> lock(connection, credentialId)
                .chain(() -> connection.preparedQuery("select * from repositories where credential_id = $1")
                        .execute(Tuple.of(credentialId)))
                .map(rows -> {
                    Map<String, Stored> stored = new HashMap<>();
                    rows.forEach(row -> stored.put(row.getString("repository_key"),
                            new Stored(entry(row), row.getOffsetDateTime("removed_at") != null)));
                    return CatalogDiff.between(stored, listed);
                })
                .call(changes -> write(connection, credentialId, listed, changes, now))
                .call(() -> defaultBranchRead.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                                update repositories set default_branch_read_at = $2 where credential_id = $1 and repository_key = any($3)""")
                        .execute(Tuple.of(credentialId, time(now), defaultBranchRead.toArray(String[]::new))).replaceWithVoid())
                .call(publish::apply)
                .call(() -> connection.preparedQuery("""
                                insert into credentials (credential_id, status, scraped_at) values ($1, 'UP', $2)
                                on conflict (credential_id) do update set scraped_at = excluded.scraped_at, last_error = null""")
                        .execute(Tuple.of(credentialId, time(now)))));
    }

    /** The stored default branch of each of the credential's repositories not marked removed, by key. */
    public Uni<Map<String, DefaultBranch>> defaultBranches(String credentialId) {
        return pool.preparedQuery("""
                        select repository_key, main_branch, default_branch_read_at from repositories
                         where credential_id = $1 and removed_at is null""")
                .execute(Tuple.of(credentialId))
                .map(rows -> {
                    Map<String, DefaultBranch> branches = new HashMap<>();
                    rows.forEach(row -> branches.put(row.getString("repository_key"),
                            new DefaultBranch(row.getString("main_branch"), instant(row.getOffsetDateTime("default_branch_read_at")))));
                    return branches;
                });
    }

    /** The credential's repository of that workspace / project (any case) and slug, unless it is marked removed. */
    public Uni<Optional<RepositoryView>> find(String credentialId, String owner, String slug) {
        return pool.preparedQuery("""
                        select * from repositories
                         where credential_id = $1 and lower(owner) = lower($2) and slug = $3 and removed_at is null
                         order by repository_key limit 1""")
                .execute(Tuple.of(credentialId, owner, slug))
                .map(rows -> rows.size() == 0 ? Optional.<RepositoryView>empty() : Optional.of(view(rows.iterator().next())));
    }

    /** Remembers why the credential's last scrape failed (shown nowhere but the database and the log). */
    public Uni<Void> recordFailure(String credentialId, String reason) {
        return pool.preparedQuery("update credentials set last_error = $2 where credential_id = $1")
                .execute(Tuple.of(credentialId, reason)).replaceWithVoid();
    }

    public Uni<Boolean> credentialKnown(String credentialId) {
        return pool.preparedQuery("""
                        select exists(select 1 from credentials where credential_id = $1)
                            or exists(select 1 from repositories where credential_id = $1) as known""")
                .execute(Tuple.of(credentialId)).map(rows -> rows.iterator().next().getBoolean("known"));
    }

    /**
     * The credential's repositories by key, after {@code afterKey} (null: from the first), up to {@code limit}; only
     * those of one workspace / project ({@code owner}, any case) and whose name or slug contains {@code name} (any case)
     * when given; removed ones only when asked.
     */
    public Uni<List<RepositoryView>> list(String credentialId, String owner, String name, boolean includeRemoved,
                                          String afterKey, int limit) {
        return pool.preparedQuery("""
                        select * from repositories
                         where credential_id = $1
                           and ($2::text is null or lower(owner) = lower($2))
                           and ($3::text is null or strpos(lower(coalesce(name, '') || ' ' || slug), lower($3)) > 0)
                           and ($4 or removed_at is null)
                           and ($5::text is null or repository_key > $5)
                         order by repository_key limit $6""")
                .execute(Tuple.from(Arrays.asList(credentialId, owner, name, includeRemoved, afterKey, limit)))
                .map(rows -> {
                    List<RepositoryView> views = new ArrayList<>();
                    rows.forEach(row -> views.add(view(row)));
                    return views;
                });
    }

    private static Uni<Void> lock(SqlConnection connection, String credentialId) {
        return connection.preparedQuery("select pg_advisory_xact_lock(hashtext('scraper.discovery:' || $1))")
                .execute(Tuple.of(credentialId)).replaceWithVoid();
    }

    private static Uni<Void> write(SqlConnection connection, String credentialId, List<CatalogEntry> listed,
                                   List<Change> changes, Instant now) {
        List<Tuple> upserts = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Change change : changes) {
            if (change.type() == io.bitbridge.events.RepositoryCatalogEvent.Type.REMOVED) {
                removed.add(change.entry().key());
            } else {
                upserts.add(row(credentialId, change.entry(), now));
            }
        }
        String[] seen = listed.stream().map(CatalogEntry::key).toArray(String[]::new);
        Uni<?> upserted = upserts.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                        insert into repositories (credential_id, repository_key, provider, host, owner, slug, name, main_branch,
                                                  private, html_url, clone_urls, first_seen_at, last_seen_at, removed_at)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, null)
                        on conflict (credential_id, repository_key) do update
                           set provider = excluded.provider, host = excluded.host, owner = excluded.owner, slug = excluded.slug,
                               name = excluded.name, main_branch = excluded.main_branch, private = excluded.private,
                               html_url = excluded.html_url, clone_urls = excluded.clone_urls,
                               last_seen_at = excluded.last_seen_at, removed_at = null""")
                .executeBatch(upserts);
        return upserted
                .chain(() -> connection.preparedQuery("""
                                update repositories set last_seen_at = $2 where credential_id = $1 and repository_key = any($3)""")
                        .execute(Tuple.of(credentialId, time(now), seen)))
                .chain(() -> removed.isEmpty() ? Uni.createFrom().voidItem() : connection.preparedQuery("""
                                update repositories set removed_at = $2 where credential_id = $1 and repository_key = any($3)""")
                        .execute(Tuple.of(credentialId, time(now), removed.toArray(String[]::new))).replaceWithVoid())
                .replaceWithVoid();
    }

    private static Tuple row(String credentialId, CatalogEntry entry, Instant now) {
        RepositoryRef repository = entry.repository();
        JsonArray cloneUrls = new JsonArray(EventJson.mapper().valueToTree(repository.cloneUrls()).toString());
        return Tuple.from(Arrays.asList(credentialId, repository.key(), repository.provider().name(), repository.host(),
                repository.owner(), repository.slug(), repository.name(), entry.mainBranch(), entry.privateRepository(),
                repository.htmlUrl(), cloneUrls, time(now)));
    }

    private static CatalogEntry entry(Row row) {
        return new CatalogEntry(new RepositoryRef(row.getString("repository_key"), Provider.valueOf(row.getString("provider")),
                row.getString("host"), row.getString("owner"), row.getString("slug"), row.getString("name"),
                row.getString("html_url"), cloneUrls(row)), row.getString("main_branch"), row.getBoolean("private"));
    }

    private static RepositoryView view(Row row) {
        CatalogEntry entry = entry(row);
        RepositoryRef repository = entry.repository();
        Instant removedAt = instant(row.getOffsetDateTime("removed_at"));
        return new RepositoryView(repository.key(), repository.provider(), repository.host(), repository.owner(), repository.slug(),
                repository.name(), entry.mainBranch(), entry.privateRepository(), repository.htmlUrl(), repository.cloneUrls(),
                instant(row.getOffsetDateTime("first_seen_at")), instant(row.getOffsetDateTime("last_seen_at")), removedAt != null,
                removedAt);
    }

    private static List<RepositoryRef.CloneUrl> cloneUrls(Row row) {
        Object value = row.getValue("clone_urls");
        String json = value instanceof JsonArray array ? array.encode() : String.valueOf(value);
        try {
            return EventJson.mapper().readValue(json, CLONE_URLS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable clone URLs stored for " + row.getString("repository_key"), e);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
