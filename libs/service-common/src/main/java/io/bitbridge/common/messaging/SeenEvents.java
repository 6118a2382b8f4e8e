package io.bitbridge.common.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Acts on an event once within {@code bitbridge.messaging.duplicates.window} (24 h), by its CloudEvents source and id,
 * for consumers whose effects are not idempotent by content: a webhook body replayed under a fresh delivery id carries
 * the same event id (the gateway derives it from the body) and is skipped here, on every replica of the service, which
 * share the record in the service's own schema ({@code seen_event}). Wrap the handler given to {@link IncomingEvents}:
 *
 * <pre>{@code
 * return incoming.consume(record, PushEvent.class, seen.once(this::onPush));
 * return incoming.consumeBatch(records, PullRequestEvent.class, seen.onceEach(this::onPullRequests));
 * }</pre>
 *
 * An event is recorded only after its handler succeeded, so a failed attempt, a retry of it and a dead letter that is
 * replayed later are all still handled. Not for channels every instance reads in its own group (they would share one
 * record and only the first instance would act).
 */
@ApplicationScoped
public class SeenEvents {
    private static final Logger LOG = Logger.getLogger(SeenEvents.class);
    private static final String SEEN = """
            select s.event_source, s.event_id from seen_event s
            join unnest($1::text[], $2::text[]) as e(event_source, event_id) using (event_source, event_id)
            where s.seen_at > $3""";
    private static final String REMEMBER = """
            insert into seen_event (event_source, event_id, seen_at)
            select event_source, event_id, now() from unnest($1::text[], $2::text[]) as e(event_source, event_id)
            on conflict (event_source, event_id) do update set seen_at = excluded.seen_at""";
    private static final String PRUNE = "delete from seen_event where seen_at < $1";
    private static final long PRUNE_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final Pool pool;
    private final Duration window;
    private final AtomicLong nextPrune = new AtomicLong(System.nanoTime());

    SeenEvents(Pool pool, @ConfigProperty(name = "bitbridge.messaging.duplicates.window") Duration window) {
        this.pool = pool;
        this.window = window;
    }

    /** {@code handler} for an event not seen within the window; a seen one completes at once. */
    public <E extends Record> Function<ReceivedEvent<E>, Uni<Void>> once(Function<ReceivedEvent<E>, Uni<Void>> handler) {
        Function<List<ReceivedEvent<E>>, Uni<Void>> each = onceEach(events -> handler.apply(events.get(0)));
        return event -> each.apply(List.of(event));
    }

    /** {@code handler} with the events of the batch not seen within the window, each once (one query for the batch). */
    public <E extends Record> Function<List<ReceivedEvent<E>>, Uni<Void>> onceEach(Function<List<ReceivedEvent<E>>, Uni<Void>> handler) {
        return events -> unseen(events).chain(fresh -> fresh.isEmpty()
                ? Uni.createFrom().voidItem()
                : handler.apply(fresh).chain(() -> remember(fresh)));
    }

    private <E extends Record> Uni<List<ReceivedEvent<E>>> unseen(List<ReceivedEvent<E>> events) {
        List<String> sources = new ArrayList<>(events.size());
        List<String> ids = new ArrayList<>(events.size());
        for (ReceivedEvent<E> event : events) {
            sources.add(event.cloudEvent().source());
            ids.add(event.id());
        }
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minus(window);
        return pool.preparedQuery(SEEN).execute(Tuple.of(sources.toArray(String[]::new), ids.toArray(String[]::new), since))
                .map(rows -> {
                    Set<String> seen = new HashSet<>();
                    for (Row row : rows) {
                        seen.add(identity(row.getString(0), row.getString(1)));
                    }
                    List<ReceivedEvent<E>> fresh = new ArrayList<>(events.size());
                    for (ReceivedEvent<E> event : events) {
                        // seen.add is false for an event seen before, or twice in this batch
                        if (seen.add(identity(event.cloudEvent().source(), event.id()))) {
                            fresh.add(event);
                        }
                    }
                    return fresh;
                });
    }

    private <E extends Record> Uni<Void> remember(List<ReceivedEvent<E>> handled) {
        String[] sources = handled.stream().map(e -> e.cloudEvent().source()).toArray(String[]::new);
        String[] ids = handled.stream().map(ReceivedEvent::id).toArray(String[]::new);
        return pool.preparedQuery(REMEMBER).execute(Tuple.of(sources, ids)).invoke(this::pruneNowAndThen).replaceWithVoid();
    }

    /** At most once a minute per instance, and never waited for: a late prune only leaves rows the query ignores. */
    private void pruneNowAndThen() {
        long now = System.nanoTime();
        long due = nextPrune.get();
        if (now - due < 0 || !nextPrune.compareAndSet(due, now + PRUNE_EVERY_NANOS)) {
            return;
        }
        pool.preparedQuery(PRUNE).execute(Tuple.of(OffsetDateTime.now(ZoneOffset.UTC).minus(window)))
                .subscribe().with(rows -> { }, failure -> LOG.warnf("pruning seen events failed: %s", failure.getMessage()));
    }

    private static String identity(String source, String id) {
        return source + "\n" + id;
    }
}
