package io.bitbridge.buildtrigger.service;

import io.bitbridge.buildtrigger.client.JenkinsCallException;
import io.bitbridge.buildtrigger.client.JenkinsClient;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns a push into builds exactly once. Each decision is stored first under its unique key (repository, ref, head
 * commit, job); only the call that stored it calls Jenkins. A row found still CALLING was left by a crash between
 * storing and completing it: Jenkins is asked whether the build exists (our TRIGGERED_BY among the job's latest
 * builds) before triggering again, and a trigger for an item still in the queue is folded into it by Jenkins.
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
    private final int recentBuildsChecked;

    TriggerService(TriggerConfig config, TriggerRepository triggers, TriggerEvents events, JenkinsInstances jenkins,
                   BuildFollower follower) {
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
        TriggerRow row = newRow(push, planned);
        if (!triggers.insertIfAbsent(row)) {
            TriggerRow existing = triggers.byKey(planned.repositoryKey(), planned.ref(), planned.headCommit(), planned.job()).orElseThrow();
            if (existing.state() == State.CALLING) {
                recover(existing);
            } else {
                events.publish(existing, Status.DEDUPLICATED, "already " + existing.state().name().toLowerCase(java.util.Locale.ROOT)
                        + "; seen again in delivery " + push.deliveryId());
            }
            return;
        }
        if (planned.refused()) {
            events.publish(row, Status.REFUSED, planned.refusal());
            return;
        }
        events.publish(row, Status.REQUESTED, null);
        call(row);
    }

    /** A row left CALLING: adopt the build Jenkins already has for it, or trigger now. */
    void recover(TriggerRow row) {
        Optional<JenkinsClient> client = jenkins.named(row.instance());
        if (client.isPresent()) {
            try {
                String triggeredBy = row.parameters().get(TriggerPlanner.TRIGGERED_BY);
                var found = client.get().findBuild(row.job(), TriggerPlanner.TRIGGERED_BY, triggeredBy, recentBuildsChecked);
                if (found.isPresent()) {
                    LOG.infof("trigger %s: Jenkins already has build %s for it", row.id(), found.get().url());
                    TriggerRow started = follower.started(row, found.get());
                    events.publish(started, Status.DEDUPLICATED, "found in Jenkins after an interrupted trigger");
                    follower.follow(started);
                    return;
                }
            } catch (JenkinsCallException e) {
                failed(row, e);
                return;
            }
        }
        call(row);
    }

    /** An admin's deliberate rebuild of a finished trigger. */
    public TriggerRow retry(UUID id, String requestedBy) {
        TriggerRow row = triggers.byId(id).orElseThrow(() -> new ProblemException("trigger-not-found", "Trigger not found", 404,
                "No trigger " + id + "."));
        if (!triggers.startRebuild(id, "rebuild requested by " + requestedBy)) {
            throw new ProblemException("trigger-not-retryable", "Trigger cannot be retried", 409,
                    "Trigger " + id + " is " + row.state().name().toLowerCase(java.util.Locale.ROOT)
                            + "; only completed or failed triggers can be rebuilt.");
        }
        TriggerRow rebuilding = triggers.byId(id).orElseThrow();
        events.publish(rebuilding, Status.REQUESTED, rebuilding.reason());
        call(rebuilding);
        return triggers.byId(id).orElseThrow();
    }

    private void call(TriggerRow row) {
        Optional<JenkinsClient> client = jenkins.named(row.instance());
        if (client.isEmpty()) {
            failed(row, new JenkinsCallException(0, "no Jenkins instance named " + row.instance() + " is configured", null));
            return;
        }
        URI queueItem;
        try {
            queueItem = client.get().trigger(row.job(), row.parameters());
        } catch (JenkinsCallException e) {
            failed(row, e);
            return;
        }
        triggers.update(row.id(), State.QUEUED, null, queueItem.toString(), null, null, null);
        TriggerRow queued = triggers.byId(row.id()).orElseThrow();
        events.publish(queued, Status.QUEUED, null);
        follower.follow(queued);
    }

    private void failed(TriggerRow row, JenkinsCallException e) {
        LOG.infof("trigger %s of %s failed: %s", row.id(), row.job(), e.getMessage());
        triggers.update(row.id(), State.FAILED, e.getMessage(), null, null, null, null);
        events.publish(triggers.byId(row.id()).orElseThrow(), Status.FAILED, e.getMessage());
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
