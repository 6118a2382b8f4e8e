package io.bitbridge.common.database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.time.Duration;

/**
 * Whether the service's PostgreSQL answers now, asked through the service's own pool ({@code select 1}). Used to tell a
 * failure caused by a database outage (a restart, a failover, a network cut) from one of the work itself, whatever
 * exception a client library made of the lost connection: a failure while the database does not answer is the
 * outage's. A service without a reactive datasource always counts as reachable.
 */
@ApplicationScoped
public class DatabaseReachability {
    /** Longer than a healthy database takes for {@code select 1}, short enough for an HTTP answer to wait for it. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final Instance<Pool> pool;

    DatabaseReachability(Instance<Pool> pool) {
        this.pool = pool;
    }

    /** Completes with true when the database answered within {@link #PROBE_TIMEOUT}; never fails. */
    public Uni<Boolean> answers() {
        if (!pool.isResolvable()) {
            return Uni.createFrom().item(true);
        }
        return Uni.createFrom().deferred(() -> pool.get().query("select 1").execute())
                .replaceWith(true)
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(false);
    }

    /**
     * {@code failure} as it should be handled: a {@link DatabaseUnavailableException} wrapping it when the database does
     * not answer now, else {@code failure} itself.
     */
    public Uni<Throwable> explain(Throwable failure) {
        if (failure instanceof DatabaseUnavailableException) {
            return Uni.createFrom().item(failure);
        }
        return answers().map(up -> up ? failure : new DatabaseUnavailableException(failure));
    }
}
