package io.bitbridge.gitops.repository;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Targets in PostgreSQL. Blocking: gitops-writer's work is git and HTTP on worker threads, so is its data access. */
@ApplicationScoped
public class TargetRepository {
    static final Duration STATEMENT_WAIT = Duration.ofSeconds(10);
    private static final String COLUMNS = "id, cluster_name, cluster_id, credential_id, workspace, repo_slug, branch, path, "
            + "webhook_status, created_at, updated_at";

    private final Pool pool;

    TargetRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts the target; false when another target already names the same cluster. */
    public boolean insert(Target t) {
        return pool.preparedQuery("insert into target (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                        + "on conflict (cluster_name, cluster_id) do nothing")
                .execute(tuple(t.id(), t.clusterName(), t.clusterId(), t.credentialId(), t.workspace(), t.repoSlug(),
                        t.branch(), t.path(), t.webhookStatus(), utc(t.createdAt()), utc(t.updatedAt())))
                .await().atMost(STATEMENT_WAIT).rowCount() == 1;
    }

    /** Replaces the target's settings; false when it does not exist (or the new cluster names another target's). */
    public boolean update(Target t) {
        return pool.preparedQuery("update target set cluster_name = $2, cluster_id = $3, credential_id = $4, workspace = $5, "
                        + "repo_slug = $6, branch = $7, path = $8, webhook_status = $9, updated_at = $10 where id = $1 "
                        + "and not exists (select 1 from target o where o.id <> $1 and o.cluster_name = $2 and o.cluster_id = $3)")
                .execute(tuple(t.id(), t.clusterName(), t.clusterId(), t.credentialId(), t.workspace(), t.repoSlug(),
                        t.branch(), t.path(), t.webhookStatus(), utc(t.updatedAt())))
                .await().atMost(STATEMENT_WAIT).rowCount() == 1;
    }

    public void webhookStatus(UUID id, String status) {
        pool.preparedQuery("update target set webhook_status = $2 where id = $1").execute(Tuple.of(id, status))
                .await().atMost(STATEMENT_WAIT);
    }

    public boolean delete(UUID id) {
        return pool.preparedQuery("delete from target where id = $1").execute(Tuple.of(id)).await().atMost(STATEMENT_WAIT).rowCount() == 1;
    }

    public Optional<Target> find(UUID id) {
        for (Row row : pool.preparedQuery("select " + COLUMNS + " from target where id = $1").execute(Tuple.of(id))
                .await().atMost(STATEMENT_WAIT)) {
            return Optional.of(target(row));
        }
        return Optional.empty();
    }

    /** The target of one cluster (there is at most one). */
    public Optional<Target> forCluster(String clusterName, String clusterId) {
        for (Row row : pool.preparedQuery("select " + COLUMNS + " from target where cluster_name = $1 and cluster_id = $2")
                .execute(Tuple.of(clusterName, clusterId)).await().atMost(STATEMENT_WAIT)) {
            return Optional.of(target(row));
        }
        return Optional.empty();
    }

    public List<Target> list() {
        List<Target> targets = new ArrayList<>();
        pool.query("select " + COLUMNS + " from target order by cluster_name, cluster_id").execute().await().atMost(STATEMENT_WAIT)
                .forEach(row -> targets.add(target(row)));
        return targets;
    }

    /** The targets on one branch of one repository (names compared without case, as Bitbucket does). */
    public List<Target> onBranch(String workspace, String repoSlug, String branch) {
        List<Target> targets = new ArrayList<>();
        pool.preparedQuery("select " + COLUMNS + " from target where lower(workspace) = lower($1) and lower(repo_slug) = lower($2) "
                        + "and branch = $3")
                .execute(Tuple.of(workspace, repoSlug, branch)).await().atMost(STATEMENT_WAIT)
                .forEach(row -> targets.add(target(row)));
        return targets;
    }

    private static Target target(Row row) {
        return new Target(row.getUUID("id"), row.getString("cluster_name"), row.getString("cluster_id"), row.getString("credential_id"),
                row.getString("workspace"), row.getString("repo_slug"), row.getString("branch"), row.getString("path"),
                row.getString("webhook_status"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A tuple that, unlike {@code Tuple.from(List.of(...))}, takes nulls. */
    static Tuple tuple(Object... values) {
        Tuple tuple = Tuple.tuple();
        for (Object value : values) {
            tuple.addValue(value);
        }
        return tuple;
    }
}
