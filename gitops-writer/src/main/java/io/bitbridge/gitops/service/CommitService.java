package io.bitbridge.gitops.service;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketUnreachableException;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.CredentialNeedsReconnectException;
import io.bitbridge.credentialclient.CredentialServiceUnavailableException;
import io.bitbridge.events.GitOpsCommitResult;
import io.bitbridge.events.GitOpsCommitResult.Status;
import io.bitbridge.events.Provider;
import io.bitbridge.gitops.messaging.ResultPublisher;
import io.bitbridge.gitops.repository.CommitLog;
import io.bitbridge.gitops.repository.CommitRecord;
import io.bitbridge.gitops.repository.Target;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Runs a commit request once per request id: the first arrival claims the id (a row), writes, records the outcome
 * (the audit trail) and publishes it on gitops.commit-results.v1; a later arrival gets the first one's row.
 */
@ApplicationScoped
public class CommitService {
    private static final Logger LOG = Logger.getLogger(CommitService.class);

    private final CommitLog log;
    private final BitbucketAccess access;
    private final CloudWriter cloudWriter;
    private final ServerGitWriter serverWriter;
    private final ResultPublisher publisher;

    CommitService(CommitLog log, BitbucketAccess access, CloudWriter cloudWriter, ServerGitWriter serverWriter,
                  ResultPublisher publisher) {
        this.log = log;
        this.access = access;
        this.cloudWriter = cloudWriter;
        this.serverWriter = serverWriter;
        this.publisher = publisher;
    }

    /** The request's row; {@code replay} when an earlier arrival of the same request id made it (maybe still pending). */
    public record Handled(CommitRecord record, boolean replay) {
    }

    /** A request id already used for another target. */
    public static class RequestIdTakenException extends RuntimeException {
        RequestIdTakenException(String requestId) {
            super("request id " + requestId + " belongs to another target", null, false, false);
        }
    }

    /** Blocking: call from a worker thread. */
    public Handled execute(Target target, CommitOrder order) {
        CommitRecord pending = new CommitRecord(order.requestId(), target.id(), null, CommitRecord.PENDING, order.requestedBy(),
                order.author(), order.message(), List.of(), null, null, null, 0, now(), null);
        if (!log.claim(pending)) {
            CommitRecord first = log.find(order.requestId()).orElseThrow();
            if (!first.targetId().equals(target.id())) {
                throw new RequestIdTakenException(order.requestId());
            }
            return new Handled(first, true);
        }
        Written written = write(target, order);
        WriteOutcome outcome = written.outcome();
        CommitRecord done = new CommitRecord(pending.requestId(), target.id(), written.repositoryKey(), outcome.status().name(), pending.requestedBy(),
                pending.author(), pending.message(), outcome.paths(), outcome.commitHash(), outcome.parentHash(), outcome.reason(),
                outcome.attempts(), pending.requestedAt(), now());
        log.complete(done);
        publisher.result(resultEvent(target, done));
        return new Handled(done, false);
    }

    /** PostgreSQL keeps microseconds: a result read back (a replay) then equals the one first published. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The event for a finished request. */
    public static GitOpsCommitResult resultEvent(Target target, CommitRecord done) {
        return new GitOpsCommitResult(done.requestId(), target.id().toString(), Status.valueOf(done.status()),
                done.repositoryKey(), target.branch(), done.commitHash(), done.parentHash(), done.reason(), done.attempts(),
                done.completedAt(), done.paths(), done.retries(), done.requestedBy());
    }

    /** Every failure becomes an outcome with its reason: REJECTED when asking again cannot help, FAILED when it may. */
    private record Written(String repositoryKey, WriteOutcome outcome) {
    }

    private Written write(Target target, CommitOrder order) {
        Authorization authorization;
        try {
            authorization = access.authorization(target.credentialId());
        } catch (RuntimeException e) {
            return new Written(null, failure(target, order, e));
        }
        String repositoryKey = BitbucketAccess.repositoryKey(authorization, target);
        try {
            return new Written(repositoryKey, authorization.provider() == Provider.BITBUCKET_CLOUD
                    ? cloudWriter.write(access.cloudSource(authorization), target, order)
                    : serverWriter.write(access.serverRemote(authorization, target), target, order));
        } catch (RuntimeException e) {
            return new Written(repositoryKey, failure(target, order, e));
        }
    }

    private static WriteOutcome failure(Target target, CommitOrder order, RuntimeException failure) {
        if (failure instanceof BitbucketAccess.UnusableCredentialException || failure instanceof CredentialNeedsReconnectException) {
            return WriteOutcome.failed(Status.REJECTED, 0, failure.getMessage());
        }
        if (failure instanceof BitbucketApiException api) {
            return WriteOutcome.failed(api.retryable() ? Status.FAILED : Status.REJECTED, 0,
                    "Bitbucket answered " + api.status() + ": " + api.reason());
        }
        if (failure instanceof CredentialServiceUnavailableException || failure instanceof BitbucketUnreachableException) {
            return WriteOutcome.failed(Status.FAILED, 0, failure.getMessage());
        }
        LOG.errorf(failure, "commit request %s for target %s failed", order.requestId(), target.id());
        return WriteOutcome.failed(Status.FAILED, 0, failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
}
