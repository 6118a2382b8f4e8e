package io.bitbridge.gitops.messaging;

import io.bitbridge.common.messaging.IncomingEvents;
import io.bitbridge.common.messaging.ReceivedEvent;
import io.bitbridge.events.GitOpsCommitRequest;
import io.bitbridge.events.GitOpsCommitResult;
import io.bitbridge.events.Topics;
import io.bitbridge.gitops.repository.Target;
import io.bitbridge.gitops.repository.TargetRepository;
import io.bitbridge.gitops.service.CommitOrder;
import io.bitbridge.gitops.service.CommitService;
import io.bitbridge.gitops.service.DesiredState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Commit requests from gitops.commit-requests.v1. The record lists file changes ({@code PUT}/{@code DELETE}): a patch,
 * or with {@code fullSet} every file under the target's path (one there and not listed is deleted). A request id seen before publishes its first result again (same {@code ce_id}),
 * so a requester that missed it gets it; an unknown target is answered REJECTED.
 */
@ApplicationScoped
public class CommitRequestConsumer {
    private final IncomingEvents incoming;
    private final TargetRepository targets;
    private final CommitService commits;
    private final ResultPublisher publisher;

    CommitRequestConsumer(IncomingEvents incoming, TargetRepository targets, CommitService commits, ResultPublisher publisher) {
        this.incoming = incoming;
        this.targets = targets;
        this.commits = commits;
        this.publisher = publisher;
    }

    @Incoming(Topics.GITOPS_COMMIT_REQUESTS)
    Uni<Void> consume(ConsumerRecord<byte[], byte[]> record) {
        return incoming.consumeBlocking(record, GitOpsCommitRequest.class, this::handle);
    }

    private void handle(ReceivedEvent<GitOpsCommitRequest> event) {
        GitOpsCommitRequest request = event.event();
        Optional<Target> target = parse(request.target()).flatMap(targets::find);
        if (target.isEmpty()) {
            publisher.result(new GitOpsCommitResult(request.requestId(), request.target(), GitOpsCommitResult.Status.REJECTED,
                    null, null, null, null, "unknown target " + request.target(), 0, Instant.now()));
            return;
        }
        Optional<String> badPath = request.files().stream().map(GitOpsCommitRequest.FileChange::path)
                .filter(path -> !CommitOrder.validPath(path)).findFirst();
        if (badPath.isPresent()) {
            publisher.result(new GitOpsCommitResult(request.requestId(), request.target(), GitOpsCommitResult.Status.REJECTED,
                    null, null, null, null, "invalid file path " + badPath.get(), 0, Instant.now()));
            return;
        }
        if (request.fullSet() && request.files().stream().anyMatch(f -> f.operation() == GitOpsCommitRequest.Operation.DELETE)) {
            publisher.result(new GitOpsCommitResult(request.requestId(), request.target(), GitOpsCommitResult.Status.REJECTED,
                    null, null, null, null, "a full set lists the files to keep (PUT) only: a file left out is deleted", 0, Instant.now()));
            return;
        }
        try {
            CommitService.Handled handled = commits.execute(target.get(), order(request));
            if (handled.replay() && handled.record().done()) {
                publisher.result(CommitService.resultEvent(target.get(), handled.record()));
            }
        } catch (CommitService.RequestIdTakenException e) {
            publisher.result(new GitOpsCommitResult(request.requestId(), request.target(), GitOpsCommitResult.Status.REJECTED,
                    null, null, null, null, e.getMessage(), 0, Instant.now()));
        }
    }

    private static CommitOrder order(GitOpsCommitRequest request) {
        Map<String, byte[]> put = new LinkedHashMap<>();
        List<String> delete = new ArrayList<>();
        for (GitOpsCommitRequest.FileChange change : request.files()) {
            if (change.operation() == GitOpsCommitRequest.Operation.DELETE) {
                delete.add(change.path());
            } else {
                String content = change.content() == null ? "" : change.content();
                put.put(change.path(), change.base64() ? Base64.getDecoder().decode(content) : content.getBytes(StandardCharsets.UTF_8));
            }
        }
        String author = request.author() == null || request.author().email() == null ? null
                : Optional.ofNullable(request.author().displayName()).orElse(request.author().email()) + " <" + request.author().email() + ">";
        DesiredState desired = request.fullSet() ? new DesiredState.FullSet(put) : new DesiredState.Patch(put, delete);
        return new CommitOrder(request.requestId(), request.message(), author, request.requestedBy(), desired);
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
