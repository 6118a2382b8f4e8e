package io.bitbridge.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The deliveries log: newest first, refused deliveries (4xx) apart from the rest. Plain SQL on the reactive pool: a batch of rows is one insert whatever its size,
 * and pruning a set of credentials down to their newest N rows is one delete. Readers ask for at most N rows, so
 * rows waiting for the next prune are never shown.
 */
@ApplicationScoped
public class DeliveryRepository {
    private static final String INSERT = """
            insert into delivery (credential_id, received_at, provider, event_key, delivery_id, attempt, verdict, status, latency_ms)
            select * from unnest($1::varchar[], $2::timestamptz[], $3::varchar[], $4::varchar[], $5::varchar[],
                                 $6::int[], $7::varchar[], $8::int[], $9::bigint[])""";
    /**
     * Everything older than the newest {@code $2} answered and {@code $3} refused rows of each credential in {@code $1}:
     * the N-th newest id of each kind is found by walking N entries of the (credential_id, refused, id desc) index, so
     * the cost does not grow with the rows to delete.
     */
    private static final String PRUNE = """
            delete from delivery d
            using unnest($1::varchar[]) as pruned(credential_id), (values (false, $2::int), (true, $3::int)) as kept(refused, n)
            where d.credential_id = pruned.credential_id and d.refused = kept.refused
              and d.id < (select n.id from delivery n where n.credential_id = pruned.credential_id and n.refused = kept.refused
                          order by n.id desc offset kept.n - 1 limit 1)""";
    private static final String LATEST = """
            select credential_id, received_at, provider, event_key, delivery_id, attempt, verdict, status, latency_ms
            from delivery where credential_id = $1 and refused = $3 order by id desc limit $2""";

    private final Pool pool;

    DeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the rows, in their order. */
    public Uni<Void> append(List<DeliveryRecord> rows) {
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
        Tuple values = Tuple.tuple(List.of(credentials, receivedAt, providers, eventKeys, deliveryIds, attempts, verdicts,
                statuses, latencies));
        return pool.preparedQuery(INSERT).execute(values).replaceWithVoid();
    }

    /**
     * Deletes all but the newest {@code keepAnswered} answered and {@code keepRefused} refused rows of each of these
     * credentials; answers how many rows went.
     */
    public Uni<Integer> prune(Collection<String> credentialIds, int keepAnswered, int keepRefused) {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(credentialIds.toArray(String[]::new), keepAnswered, keepRefused))
                .map(SqlResult::rowCount);
    }

    /** The newest rows of one kind: refused (4xx) deliveries, or every other answer. */
    public Uni<List<DeliveryRecord>> latest(String credentialId, boolean refused, int limit) {
        return pool.preparedQuery(LATEST).execute(Tuple.of(credentialId, limit, refused)).map(rows -> {
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
