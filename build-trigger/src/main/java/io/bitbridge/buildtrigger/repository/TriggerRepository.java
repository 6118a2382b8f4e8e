package io.bitbridge.buildtrigger.repository;

import io.bitbridge.buildtrigger.repository.TriggerRow.State;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The build_trigger table. Blocking (the callers run on worker threads beside their Jenkins calls). */
@ApplicationScoped
public class TriggerRepository {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String COLUMNS = """
            id, repository_key, ref_name, commit_hash, job, instance, tag, tagged_commit, parameters, state, reason, queue_url,
            build_url, build_number, result, rebuilds, credential_id, source_delivery_id, created_at, updated_at, repository_owner,
            repository_slug, ref_type""";
    private static final String INSERT = "insert into build_trigger (" + COLUMNS + """
            , claimed_by, claimed_until
            ) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
            $24, now() + $25::float8 * interval '1 millisecond')
            on conflict on constraint build_trigger_once do nothing""";

    private final Pool pool;

    TriggerRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the row unclaimed (see {@link #insertIfAbsent(TriggerRow, String, Duration)}). */
    public boolean insertIfAbsent(TriggerRow row) {
        return insertIfAbsent(row, null, null);
    }

    /**
     * Stores the row unless one for the same repository, ref, commit and job exists: true when this call stored it. A
     * CALLING row is stored claimed by {@code owner} for {@code lease} (see {@link #claim}); null for neither.
     */
    public boolean insertIfAbsent(TriggerRow row, String owner, Duration lease) {
        List<Object> values = new ArrayList<>(List.of(row.id(), row.repositoryKey(), row.ref(), row.commit(), row.job()));
        values.add(row.instance());
        values.add(row.tag());
        values.add(row.taggedCommit());
        values.add(new JsonObject(new LinkedHashMap<>(row.parameters())));
        values.add(row.state().name());
        values.add(row.reason());
        values.add(row.queueUrl());
        values.add(row.buildUrl());
        values.add(row.buildNumber());
        values.add(row.result());
        values.add(row.rebuilds());
        values.add(row.credentialId());
        values.add(row.sourceDeliveryId());
        values.add(row.createdAt().atOffset(ZoneOffset.UTC));
        values.add(row.updatedAt().atOffset(ZoneOffset.UTC));
        values.add(row.target() == null ? null : row.target().owner());
        values.add(row.target() == null ? null : row.target().slug());
        values.add(row.target() == null || row.target().refType() == null ? null : row.target().refType().name());
        values.add(owner);
        values.add(lease == null ? null : millis(lease));
        return await(pool.preparedQuery(INSERT).execute(Tuple.from(values))).rowCount() == 1;
    }

    public Optional<TriggerRow> byKey(String repositoryKey, String ref, String commit, String job) {
        return first(await(pool.preparedQuery("select " + COLUMNS + " from build_trigger where repository_key = $1 and ref_name = $2"
                + " and commit_hash = $3 and job = $4").execute(Tuple.of(repositoryKey, ref, commit, job))));
    }

    public Optional<TriggerRow> byId(UUID id) {
        return first(await(pool.preparedQuery("select " + COLUMNS + " from build_trigger where id = $1").execute(Tuple.of(id))));
    }

    /** Newest first; null filters match everything. */
    public List<TriggerRow> find(String repositoryKey, String commit, String job, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from build_trigger where true");
        List<Object> values = new ArrayList<>();
        filter(sql, values, "repository_key", repositoryKey);
        filter(sql, values, "commit_hash", commit);
        filter(sql, values, "job", job);
        values.add(limit);
        sql.append(" order by created_at desc, id limit $").append(values.size());
        RowSet<Row> rows = await(pool.preparedQuery(sql.toString()).execute(Tuple.from(values)));
        List<TriggerRow> result = new ArrayList<>();
        rows.forEach(row -> result.add(read(row)));
        return result;
    }

    private static void filter(StringBuilder sql, List<Object> values, String column, String value) {
        if (value != null) {
            values.add(value);
            sql.append(" and ").append(column).append(" = $").append(values.size());
        }
    }

    /** Rows whose build is still being followed (after a restart they are picked up again). */
    public List<TriggerRow> following() {
        RowSet<Row> rows = await(pool.query("select " + COLUMNS + " from build_trigger where state in ('QUEUED', 'STARTED')").execute());
        List<TriggerRow> result = new ArrayList<>();
        rows.forEach(row -> result.add(read(row)));
        return result;
    }

    /** Moves the row on and answers it as stored (one round trip); fields given as null keep their value. */
    public TriggerRow update(UUID id, State state, String reason, String queueUrl, String buildUrl, Integer buildNumber, String result) {
        return first(await(pool.preparedQuery("""
                update build_trigger set state = $2, reason = coalesce($3, reason), queue_url = coalesce($4, queue_url),
                build_url = coalesce($5, build_url), build_number = coalesce($6, build_number), result = coalesce($7, result),
                updated_at = $8 where id = $1 returning\s""" + COLUMNS)
                .execute(Tuple.from(Arrays.asList(id, state.name(), reason, queueUrl, buildUrl, buildNumber, result,
                        OffsetDateTime.now(ZoneOffset.UTC)))))).orElseThrow(() -> new IllegalStateException("no trigger " + id));
    }

    /**
     * Records that Jenkins queued the row at {@code queueUrl} (one round trip, nothing read back: the caller holds the
     * row, {@link TriggerRow#queuedAt}).
     */
    public void queued(UUID id, String queueUrl) {
        await(pool.preparedQuery("update build_trigger set state = 'QUEUED', queue_url = $2, updated_at = $3 where id = $1")
                .execute(Tuple.of(id, queueUrl, OffsetDateTime.now(ZoneOffset.UTC))));
    }

    /**
     * A deliberate rebuild: back to CALLING (claimed by {@code owner} for {@code lease}) with the build fields cleared,
     * counted. False when the row is not finished.
     */
    public boolean startRebuild(UUID id, String reason, String owner, Duration lease) {
        return await(pool.preparedQuery("""
                update build_trigger set state = 'CALLING', reason = $2, queue_url = null, build_url = null, build_number = null,
                result = null, rebuilds = rebuilds + 1, updated_at = $3, claimed_by = $4,
                claimed_until = now() + $5::float8 * interval '1 millisecond' where id = $1 and state in ('COMPLETED', 'FAILED')""")
                .execute(Tuple.of(id, reason, OffsetDateTime.now(ZoneOffset.UTC), owner, millis(lease)))).rowCount() == 1;
    }

    /**
     * Takes over a CALLING row for {@code owner} for {@code lease}: only when nobody holds it (stored before claims were
     * kept, or its claim ran out: its caller died) or {@code owner} itself does (the caller knows no call of its own is
     * in flight). Empty when the row is not CALLING or another caller's claim still holds.
     */
    public Optional<TriggerRow> claim(UUID id, String owner, Duration lease) {
        return first(await(pool.preparedQuery("""
                update build_trigger set claimed_by = $2, claimed_until = now() + $3::float8 * interval '1 millisecond'
                where id = $1 and state = 'CALLING' and (claimed_until is null or claimed_until < now() or claimed_by = $2)
                returning\s""" + COLUMNS).execute(Tuple.of(id, owner, millis(lease)))));
    }

    /** Extends {@code owner}'s claims on those of {@code ids} that are still CALLING. */
    public void renewClaims(List<UUID> ids, String owner, Duration lease) {
        await(pool.preparedQuery("""
                update build_trigger set claimed_until = now() + $3::float8 * interval '1 millisecond'
                where id = any($1) and claimed_by = $2 and state = 'CALLING'""")
                .execute(Tuple.of(ids.toArray(UUID[]::new), owner, millis(lease))));
    }

    private static Optional<TriggerRow> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(read(iterator.next())) : Optional.empty();
    }

    private static TriggerRow read(Row row) {
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonObject json = (JsonObject) row.getValue("parameters");
        json.forEach(e -> parameters.put(e.getKey(), String.valueOf(e.getValue())));
        return new TriggerRow(row.getUUID("id"), row.getString("repository_key"), row.getString("ref_name"),
                row.getString("commit_hash"), row.getString("job"), row.getString("instance"), row.getString("tag"),
                row.getString("tagged_commit"), parameters, State.valueOf(row.getString("state")), row.getString("reason"),
                row.getString("queue_url"), row.getString("build_url"), row.getInteger("build_number"), row.getString("result"),
                row.getInteger("rebuilds"), row.getString("credential_id"), row.getString("source_delivery_id"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")), target(row));
    }

    private static TriggerRow.StatusTarget target(Row row) {
        String owner = row.getString("repository_owner");
        String refType = row.getString("ref_type");
        return owner == null ? null : new TriggerRow.StatusTarget(owner, row.getString("repository_slug"),
                refType == null ? null : io.bitbridge.events.RefType.valueOf(refType));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static Double millis(Duration duration) {
        return (double) duration.toMillis();
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> query) {
        return query.await().atMost(WAIT);
    }
}
