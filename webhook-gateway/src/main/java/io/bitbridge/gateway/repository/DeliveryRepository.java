package io.bitbridge.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries log: newest first, at most N rows per credential. Plain SQL on the reactive pool: a batch of rows
 * is one insert and one prune in one transaction, whatever its size.
 */
@ApplicationScoped
public class DeliveryRepository {
    private static final String INSERT = """
            insert into delivery (credential_id, received_at, provider, event_key, delivery_id, attempt, verdict, status, latency_ms)
            select * from unnest($1::varchar[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[],
                                 $6::int[], $7::varchar[], $8::int[], $9::bigint[])""";
    /** Everything older than the newest {@code $2} rows of each credential in {@code $1}. */
    private static final String PRUNE = """
            delete from delivery d using (
                select id from (select id, row_number() over (partition by credential_id order by id desc) as newest
                                from delivery where credential_id = any($1)) ranked
                where newest > $2) old
            where d.id = old.id""";
    private static final String LATEST = """
            select credential_id, received_at, provider, event_key, delivery_id, attempt, verdict, status, latency_ms
            from delivery where credential_id = $1 order by id desc limit $2""";

    private final Pool pool;

    DeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the rows (in their order) and prunes each of their credentials down to {@code keep} rows. */
    public Uni<Void> append(List<DeliveryRecord> rows, int keep) {
        int size = rows.size();
        String[] credentials = new String[size];
        OffsetDateTime[] receivedAt = new OffsetDateTime[size];
        String[] providers = new String[size];
        String[] eventKeys = new String[size];
        String[] deliveryIds = new String[size];
        Integer[] attempts = new Integer[size];
        String[] verdicts = new String[size];
        Integer[] statuses = new Integer[size];
        Long[] latencies = new Long[size];
        for (int i = 0; i < size; i++) {
            DeliveryRecord row = rows.get(i);
            credentials[i] = row.credentialId();
            receivedAt[i] = row.receivedAt().atOffset(ZoneOffset.UTC);
            providers[i] = row.provider();
            eventKeys[i] = row.eventKey();
            deliveryIds[i] = row.deliveryId();
            attempts[i] = row.attempt();
            verdicts[i] = row.verdict();
            statuses[i] = row.status();
            latencies[i] = row.latencyMs();
        }
        String[] touched = rows.stream().map(DeliveryRecord::credentialId).distinct().toArray(String[]::new);
        Tuple values = Tuple.tuple(List.of(credentials, receivedAt, providers, eventKeys, deliveryIds, attempts, verdicts,
                statuses, latencies));
        return pool.withTransaction(connection -> connection.preparedQuery(INSERT).execute(values)
                .chain(() -> connection.preparedQuery(PRUNE).execute(Tuple.of(touched, keep)))).replaceWithVoid();
    }

    public Uni<List<DeliveryRecord>> latest(String credentialId, int limit) {
        return pool.preparedQuery(LATEST).execute(Tuple.of(credentialId, limit)).map(rows -> {
            List<DeliveryRecord> found = new ArrayList<>(rows.size());
            for (Row row : rows) {
                found.add(new DeliveryRecord(row.getString("credential_id"), row.getOffsetDateTime("received_at").toInstant(),
                        row.getString("provider"), row.getString("event_key"), row.getString("delivery_id"),
                        row.getInteger("attempt"), row.getString("verdict"), row.getInteger("status"), row.getLong("latency_ms")));
            }
            return found;
        });
    }
}
