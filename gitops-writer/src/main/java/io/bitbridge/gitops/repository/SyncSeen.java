package io.bitbridge.gitops.repository;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

import static io.bitbridge.gitops.repository.TargetRepository.STATEMENT_WAIT;

/** Which pushes were already synced for which target, so a redelivered push publishes nothing twice. */
@ApplicationScoped
public class SyncSeen {
    private final Pool pool;

    SyncSeen(Pool pool) {
        this.pool = pool;
    }

    public boolean seen(String deliveryId, UUID targetId) {
        return pool.preparedQuery("select 1 from sync_seen where delivery_id = $1 and target_id = $2")
                .execute(Tuple.of(deliveryId, targetId)).await().atMost(STATEMENT_WAIT).size() > 0;
    }

    public void remember(String deliveryId, UUID targetId) {
        pool.preparedQuery("insert into sync_seen (delivery_id, target_id) values ($1, $2) on conflict do nothing")
                .execute(Tuple.of(deliveryId, targetId)).await().atMost(STATEMENT_WAIT);
    }
}
