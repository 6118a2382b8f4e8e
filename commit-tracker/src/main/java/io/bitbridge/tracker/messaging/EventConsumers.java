package io.bitbridge.tracker.messaging;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.common.messaging.SeenEvents;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.Topics;
import io.bitbridge.tracker.repository.HistoryWriter;
import io.bitbridge.tracker.service.LinkFinder;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Expanded pushes and pull-request events in, read in batches (what one poll returned): a batch is written in one
 * transaction, and the task links it created go out before that transaction commits. A batch that fails is handled
 * again record by record, each retried and dead-lettered by {@link IncomingEvents}; the writes are idempotent, so
 * either pass is safe to repeat. Pull-request events come straight from the gateway: one whose event id was already
 * written within the window (a captured body replayed under a new delivery id) is skipped ({@link SeenEvents}), so it
 * adds no second history entry; expanded pushes were de-duplicated by scraper-service already.
 */
@ApplicationScoped
public class EventConsumers {
    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    private final IncomingEvents incoming;
    private final HistoryWriter writer;
    private final LinkFinder linkFinder;
    private final LinkPublisher links;
    private final SeenEvents seen;

    EventConsumers(IncomingEvents incoming, HistoryWriter writer, LinkFinder linkFinder, LinkPublisher links, SeenEvents seen) {
        this.incoming = incoming;
        this.seen = seen;
        this.writer = writer;
        this.linkFinder = linkFinder;
        this.links = links;
    }

    @Incoming(Topics.PUSH_EXPANDED)
    Uni<Void> consumePushes(ConsumerRecords<byte[], byte[]> records) {
        return incoming.consumeBatch(records, PushEvent.class, this::onPushes);
    }

    @Incoming(Topics.PULL_REQUEST)
    Uni<Void> consumePullRequests(ConsumerRecords<byte[], byte[]> records) {
        return incoming.consumeBatch(records, PullRequestEvent.class, seen.onceEach(this::onPullRequests));
    }

    Uni<Void> onPushes(List<ReceivedEvent<PushEvent>> received) {
        List<PushEvent> pushes = received.stream().map(ReceivedEvent::event).toList();
        List<TaskLink> found = pushes.stream().flatMap(push -> linkFinder.inPush(push).stream()).toList();
        return writer.recordPushes(pushes, found, links::publish).onFailure().invoke(failure -> failed(pushes.size(), "push", failure));
    }

    Uni<Void> onPullRequests(List<ReceivedEvent<PullRequestEvent>> received) {
        List<PullRequestEvent> events = received.stream().map(ReceivedEvent::event).toList();
        List<TaskLink> found = events.stream().flatMap(event -> linkFinder.inPullRequest(event).stream()).toList();
        return writer.recordPullRequests(events, found, links::publish)
                .onFailure().invoke(failure -> failed(events.size(), "pull-request", failure));
    }

    /** Why a write failed (never the events themselves): the batch is then written again one event at a time. */
    private static void failed(int events, String kind, Throwable failure) {
        LOG.warnf("writing %d %s event(s) failed: %s", events, kind, failure.getMessage());
    }
}
