package io.bitbridge.gitops.repository;

import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.bitbridge.gitops.repository.TargetRepository.STATEMENT_WAIT;
import static io.bitbridge.gitops.repository.TargetRepository.tuple;
import static io.bitbridge.gitops.repository.TargetRepository.utc;

/** Commit requests by request id (first one wins) and the audit trail of a target. */
@ApplicationScoped
public class CommitLog {
    private static final String COLUMNS = "request_id, target_id, repository_key, status, requested_by, author, message, paths, commit_hash, "
            + "parent_hash, reason, attempts, requested_at, completed_at";

    private final Pool pool;

    CommitLog(Pool pool) {
        this.pool = pool;
    }

    /** Records a new request as pending; false when its request id was seen before (the first row stands). */
    public boolean claim(CommitRecord pending) {
        return pool.preparedQuery("insert into commit_request (" + COLUMNS + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                        + "on conflict (request_id) do nothing")
                .execute(tuple(pending.requestId(), pending.targetId(), pending.repositoryKey(), pending.status(), pending.requestedBy(), pending.author(),
                        pending.message(), new JsonArray(pending.paths()), pending.commitHash(), pending.parentHash(),
                        pending.reason(), pending.attempts(), utc(pending.requestedAt()), utc(pending.completedAt())))
                .await().atMost(STATEMENT_WAIT).rowCount() == 1;
    }

    public void complete(CommitRecord done) {
        pool.preparedQuery("update commit_request set status = $2, paths = $3, commit_hash = $4, parent_hash = $5, reason = $6, "
                        + "attempts = $7, completed_at = $8, repository_key = $9 where request_id = $1")
                .execute(tuple(done.requestId(), done.status(), new JsonArray(done.paths()), done.commitHash(), done.parentHash(),
                        done.reason(), done.attempts(), utc(done.completedAt()), done.repositoryKey()))
                .await().atMost(STATEMENT_WAIT);
    }

    public Optional<CommitRecord> find(String requestId) {
        for (Row row : pool.preparedQuery("select " + COLUMNS + " from commit_request where request_id = $1")
                .execute(Tuple.of(requestId)).await().atMost(STATEMENT_WAIT)) {
            return Optional.of(record(row));
        }
        return Optional.empty();
    }

    /** A target's requests, newest first. */
    public List<CommitRecord> forTarget(UUID targetId, int limit) {
        List<CommitRecord> records = new ArrayList<>();
        pool.preparedQuery("select " + COLUMNS + " from commit_request where target_id = $1 order by requested_at desc limit $2")
                .execute(Tuple.of(targetId, limit)).await().atMost(STATEMENT_WAIT)
                .forEach(row -> records.add(record(row)));
        return records;
    }

    private static CommitRecord record(Row row) {
        JsonArray paths = (JsonArray) row.getValue("paths");
        List<String> pathList = new ArrayList<>();
        paths.forEach(p -> pathList.add(String.valueOf(p)));
        return new CommitRecord(row.getString("request_id"), row.getUUID("target_id"), row.getString("repository_key"), row.getString("status"),
                row.getString("requested_by"), row.getString("author"), row.getString("message"), pathList,
                row.getString("commit_hash"), row.getString("parent_hash"), row.getString("reason"), row.getInteger("attempts"),
                instant(row.getOffsetDateTime("requested_at")), instant(row.getOffsetDateTime("completed_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
