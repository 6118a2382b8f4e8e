package io.bitbridge.buildtrigger.service;

import io.bitbridge.buildtrigger.client.JenkinsCallException;
import io.bitbridge.buildtrigger.client.JenkinsClient;
import io.bitbridge.buildtrigger.client.JenkinsItem;
import io.bitbridge.buildtrigger.client.JenkinsInstances;
import io.bitbridge.buildtrigger.config.TriggerConfig;
import io.bitbridge.buildtrigger.messaging.TriggerEvents;
import io.bitbridge.buildtrigger.repository.TriggerRepository;
import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.buildtrigger.repository.TriggerRow.State;
import io.bitbridge.events.BuildTriggerEvent.Status;
import io.bitbridge.events.PushEvent;
import io.bitbridge.common.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns a push into builds exactly once. Each decision is stored first under its unique key (repository, ref, head
 * commit, job); only the call that stored it calls Jenkins, under a claim ({@link CallClaims}) it renews while the call
 * runs. A row found still CALLING is waited for while its caller's claim holds; once it has run out the row was left by
 * a crash between storing and completing it: Jenkins is asked whether it has the trigger (our TRIGGERED_BY in its
 * queue or among the job's latest builds) before triggering again (docs/bitbucket-api-notes.md §14).
 * Blocking: runs on a worker thread.
 */
@ApplicationScoped
public class TriggerService {
    private static final Logger LOG = Logger.getLogger(TriggerService.class);

    private final TriggerPlanner planner;
    private final TriggerRepository triggers;
    private final TriggerEvents events;
    private final JenkinsInstances jenkins;
    private final BuildFollower follower;
    private final CallClaims claims;
    private final int recentBuildsChecked;

    TriggerService(TriggerConfig config, TriggerRepository triggers, TriggerEvents events, JenkinsInstances jenkins,
                   BuildFollower follower, CallClaims claims) {
        this.claims = claims;
        this.planner = new TriggerPlanner(config.rules());
        this.triggers = triggers;
        this.events = events;
        this.jenkins = jenkins;
        this.follower = follower;
        this.recentBuildsChecked = config.jenkins().recentBuildsChecked();
    }

    public void onPush(PushEvent push) {
        for (PlannedTrigger planned : planner.plan(push)) {
            decide(push, planned);
        }
    }

    private void decide(PushEvent push, PlannedTrigger planned) {
        UUID id = idOf(planned);
        enter(id);
        try {
            decideAlone(push, planned);
        } finally {
            claims.leave(id);
        }
    }

    /** {@link #decide} while no other thread of this process works on the same decision. */
    private void decideAlone(PushEvent push, PlannedTrigger planned) {
        TriggerRow row = newRow(push, planned);
        boolean stored = planned.refused() ? triggers.insertIfAbsent(row)
                : triggers.insertIfAbsent(row, claims.owner(), claims.lease());
        if (!stored) {
            seenAgain(push, planned);
            return;
        }
        if (planned.refused()) {
            events.publish(row, Status.REFUSED, planned.refusal());
            return;
        }
        // REQUESTED and QUEUED are not waited for one by one: Kafka's acknowledgements are off the push-to-Jenkins path,
        // and awaited before the push counts as handled (its offset is committed only after this returns).
        List<CompletionStage<Void>> published = new ArrayList<>();
        published.add(events.publishLater(row, Status.REQUESTED, null));
        call(row, published);
        published.forEach(events::await);
    }

    /**
     * The decision exists. While it is CALLING and its caller's claim holds (its Jenkins call is in flight, here or in
     * another instance), wait: calling again now could start a second build before the first call's item shows in
     * Jenkins. A CALLING row nobody holds any more (its caller died) is taken over and recovered.
     */
    private void seenAgain(PushEvent push, PlannedTrigger planned) {
        while (true) {
            TriggerRow existing = triggers.byKey(planned.repositoryKey(), planned.ref(), planned.headCommit(), planned.job()).orElseThrow();
            if (existing.state() != State.CALLING) {
                events.publish(existing, Status.DEDUPLICATED, "already " + existing.state().name().toLowerCase(java.util.Locale.ROOT)
                        + "; seen again in delivery " + push.deliveryId());
                return;
            }
            boolean otherId = !existing.id().equals(idOf(planned));
            if (otherId) {
                enter(existing.id());
            }
            try {
                Optional<TriggerRow> claimed = triggers.claim(existing.id(), claims.owner(), claims.lease());
                if (claimed.isPresent()) {
                    recover(claimed.get());
                    return;
                }
            } finally {
                if (otherId) {
                    claims.leave(existing.id());
                }
            }
            pause(claims.pollInterval());
        }
    }

    /** Waits until no other thread of this process works on the trigger, then works on it (until {@code claims.leave}). */
    private void enter(UUID id) {
        while (!claims.enter(id)) {
            pause(claims.pollInterval());
        }
    }

    private static void pause(java.time.Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a trigger in flight", e);
        }
    }

    /** A row left CALLING: adopt what Jenkins already has for it (a queued item or a build), or trigger now. */
    void recover(TriggerRow row) {
        Optional<JenkinsClient> client = jenkins.named(row.instance());
        if (client.isPresent()) {
            try {
                // the row's update time is when the interrupted call began (a claim leaves it alone)
                Optional<JenkinsItem> found = client.get().findTriggered(row.job(), row.parameters(), TriggerPlanner.TRIGGERED_BY,
                        recentBuildsChecked, row.updatedAt());
                if (found.isPresent()) {
                    LOG.infof("trigger %s: Jenkins already has it (%s)", row.id(), found.get());
                    TriggerRow adopted = adopt(row, found.get(), null);
                    events.publish(adopted, Status.DEDUPLICATED, "found in Jenkins after an interrupted trigger");
                    follower.follow(adopted);
                    return;
                }
                LOG.infof("trigger %s: its interrupted call left nothing in Jenkins (not queued, not among the builds since %s);"
                        + " triggering now", row.id(), row.updatedAt());
            } catch (JenkinsCallException e) {
                failed(row, e);
                return;
            }
        }
        call(row, null);
    }

    /** An admin's deliberate rebuild of a finished trigger. */
    public TriggerRow retry(UUID id, String requestedBy) {
        TriggerRow row = triggers.byId(id).orElseThrow(() -> new ProblemException("trigger-not-found", "Trigger not found", 404,
                "No trigger " + id + "."));
        enter(id);
        try {
            if (!triggers.startRebuild(id, "rebuild requested by " + requestedBy, claims.owner(), claims.lease())) {
                throw new ProblemException("trigger-not-retryable", "Trigger cannot be retried", 409,
                        "Trigger " + id + " is " + row.state().name().toLowerCase(java.util.Locale.ROOT)
                                + "; only completed or failed triggers can be rebuilt.");
            }
            TriggerRow rebuilding = triggers.byId(id).orElseThrow();
            events.publish(rebuilding, Status.REQUESTED, rebuilding.reason());
            call(rebuilding, null);
        } finally {
            claims.leave(id);
        }
        return triggers.byId(id).orElseThrow();
    }

    /** {@code published}: where to leave the QUEUED event for the caller to await; null to wait for it here. */
    private void call(TriggerRow row, List<CompletionStage<Void>> published) {
        Optional<JenkinsClient> client = jenkins.named(row.instance());
        if (client.isEmpty()) {
            failed(row, new JenkinsCallException(0, "no Jenkins instance named " + row.instance() + " is configured", null));
            return;
        }
        JenkinsItem item;
        try {
            item = client.get().trigger(row.job(), row.parameters(), TriggerPlanner.TRIGGERED_BY, recentBuildsChecked);
        } catch (JenkinsCallException e) {
            failed(row, e);
            return;
        }
        follower.follow(adopt(row, item, published));
    }

    /** Records where Jenkins has the trigger: QUEUED (published) for a queue item, STARTED (published) for a build. */
    private TriggerRow adopt(TriggerRow row, JenkinsItem item, List<CompletionStage<Void>> published) {
        if (item.started()) {
            return follower.started(row, item.build());
        }
        String queueUrl = item.queueItem().toString();
        triggers.queued(row.id(), queueUrl);
        TriggerRow queued = row.queuedAt(queueUrl);
        if (published == null) {
            events.publish(queued, Status.QUEUED, null);
        } else {
            published.add(events.publishLater(queued, Status.QUEUED, null));
        }
        return queued;
    }

    private void failed(TriggerRow row, JenkinsCallException e) {
        LOG.infof("trigger %s of %s failed: %s", row.id(), row.job(), e.getMessage());
        events.publish(triggers.update(row.id(), State.FAILED, e.getMessage(), null, null, null, null), Status.FAILED, e.getMessage());
    }

    private static TriggerRow newRow(PushEvent push, PlannedTrigger planned) {
        Instant now = Instant.now();
        return new TriggerRow(idOf(planned), planned.repositoryKey(), planned.ref(), planned.headCommit(), planned.job(),
                planned.instance(), planned.tag(), planned.taggedCommit(), planned.parameters(),
                planned.refused() ? State.REFUSED : State.CALLING, planned.refusal(), null, null, null, null, 0,
                push.credentialId(), push.deliveryId(), now, now,
                new TriggerRow.StatusTarget(push.repository().owner(), push.repository().slug(), planned.refType()));
    }

    /** The same id for the same (repository, ref, commit, job) wherever it is computed. */
    static UUID idOf(PlannedTrigger planned) {
        String key = planned.repositoryKey() + "\n" + planned.ref() + "\n" + planned.headCommit() + "\n" + planned.job();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }
}
