package io.bitbridge.tracker.messaging;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.Topics;
import io.bitbridge.tracker.repository.HistoryWriter;
import io.bitbridge.tracker.service.LinkFinder;
import io.bitbridge.tracker.service.TaskLink;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

/**
 * Expanded pushes and pull-request events in: each is written in one transaction, then its new task links go out.
 * Failures are retried and dead-lettered by {@link IncomingEvents}; the writes are idempotent, so a retry is safe.
 */
@ApplicationScoped
public class EventConsumers {
    private final IncomingEvents incoming;
    private final HistoryWriter writer;
    private final LinkFinder linkFinder;
    private final LinkPublisher links;

    EventConsumers(IncomingEvents incoming, HistoryWriter writer, LinkFinder linkFinder, LinkPublisher links) {
        this.incoming = incoming;
        this.writer = writer;
        this.linkFinder = linkFinder;
        this.links = links;
    }

    @Incoming(Topics.PUSH_EXPANDED)
    Uni<Void> consumePush(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consume(record, PushEvent.class, this::onPush);
    }

    @Incoming(Topics.PULL_REQUEST)
    Uni<Void> consumePullRequest(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consume(record, PullRequestEvent.class, this::onPullRequest);
    }

    Uni<Void> onPush(ReceivedEvent<PushEvent> received) {
        List<TaskLink> found = linkFinder.inPush(received.event());
        return writer.recordPush(received.event(), found).chain(() -> links.publishPending(found));
    }

    Uni<Void> onPullRequest(ReceivedEvent<PullRequestEvent> received) {
        List<TaskLink> found = linkFinder.inPullRequest(received.event());
        return writer.recordPullRequest(received.event(), found).chain(() -> links.publishPending(found));
    }
}
