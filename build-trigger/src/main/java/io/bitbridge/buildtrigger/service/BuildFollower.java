package io.bitbridge.buildtrigger.service;

import io.bitbridge.buildtrigger.client.JenkinsBuildRef;
import io.bitbridge.buildtrigger.client.JenkinsCallException;
import io.bitbridge.buildtrigger.client.CommitStatuses;
import io.bitbridge.buildtrigger.client.JenkinsClient;
import io.bitbridge.buildtrigger.client.JenkinsInstances;
import io.bitbridge.buildtrigger.config.TriggerConfig;
import io.bitbridge.buildtrigger.messaging.TriggerEvents;
import io.bitbridge.buildtrigger.repository.TriggerRepository;
import io.bitbridge.buildtrigger.repository.TriggerRow;
import io.bitbridge.buildtrigger.repository.TriggerRow.State;
import io.bitbridge.events.BuildTriggerEvent.Status;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Follows a queued build: polls its queue item until it has a build (bounded by {@code queue-timeout}), then the build
 * until it has a result (bounded by {@code build-timeout}), publishing each step and then recording it. Rows still being
 * followed when the service stopped are picked up again at start.
 *
 * <p>Announced first, recorded after: when Kafka cannot take the event (an outage), the row keeps its previous state and
 * the next poll announces the step again, so no step is recorded that was never published or shown on the commit. A
 * step may be announced twice (after a crash between the two); the commit status of the same key is simply set again.
 */
@ApplicationScoped
public class BuildFollower {
    private static final Logger LOG = Logger.getLogger(BuildFollower.class);

    private final TriggerRepository triggers;
    private final TriggerEvents events;
    private final JenkinsInstances jenkins;
    private final TriggerConfig.Jenkins settings;
    private final CommitStatuses statuses;
    /** Each step waits on Jenkins, PostgreSQL and Kafka in turn: threads, not CPU, bound how many builds are followed. */
    private static final int THREADS = 8;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(THREADS, r -> {
        Thread thread = new Thread(r, "build-follower");
        thread.setDaemon(true);
        return thread;
    });

    BuildFollower(TriggerRepository triggers, TriggerEvents events, JenkinsInstances jenkins, TriggerConfig config,
                  CommitStatuses statuses) {
        this.triggers = triggers;
        this.statuses = statuses;
        this.events = events;
        this.jenkins = jenkins;
        this.settings = config.jenkins();
    }

    void resume(@Observes StartupEvent started) {
        timer.execute(() -> triggers.following().forEach(this::followNow));
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /**
     * Follows the row from its next poll: a queue item just handed out has rarely become a build yet (Jenkins holds it
     * for its quiet period, 5 s by default), so its first look is one queue poll interval away, not at once (a look
     * that finds nothing costs a read of the row and a Jenkins request per trigger).
     */
    public void follow(TriggerRow row) {
        boolean started = row.state() == State.STARTED;
        Instant deadline = Instant.now().plus(started ? settings.buildTimeout() : settings.queueTimeout());
        schedule(row.id(), started ? Duration.ZERO : settings.queuePollInterval(), deadline);
    }

    /** Follows the rows still being followed after a start: each at once, as they may have moved on meanwhile. */
    private void followNow(TriggerRow row) {
        Instant deadline = Instant.now().plus(row.state() == State.STARTED ? settings.buildTimeout() : settings.queueTimeout());
        schedule(row.id(), Duration.ZERO, deadline);
    }

    private void schedule(UUID id, Duration delay, Instant deadline) {
        if (!timer.isShutdown()) {
            timer.schedule(() -> step(id, deadline), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * One look at the row, and the next one scheduled. Whatever fails (the database away, Kafka away) is tried again at
     * the next poll: an exception must never end the following of a row, which would then stay unfinished until a
     * restart.
     */
    private void step(UUID id, Instant deadline) {
        try {
            look(id, deadline);
        } catch (RuntimeException e) {
            if (timer.isShutdown()) {
                return; // stopping: the database pool may be closed already; the row is followed again after a start
            }
            LOG.warnf("following trigger %s failed: %s; trying again", id, e.getMessage());
            schedule(id, settings.buildPollInterval(), deadline);
        }
    }

    private void look(UUID id, Instant deadline) {
        Optional<TriggerRow> current = triggers.byId(id);
        if (current.isEmpty() || current.get().state().finished() || current.get().state() == State.CALLING) {
            return;
        }
        TriggerRow row = current.get();
        JenkinsClient client = jenkins.named(row.instance()).orElseThrow();
        if (row.state() == State.QUEUED) {
            Optional<JenkinsBuildRef> build;
            try {
                build = client.queuedBuild(URI.create(row.queueUrl()));
            } catch (JenkinsCallException e) {
                failedLook(row, deadline, e);
                return;
            }
            if (build.isEmpty()) {
                next(row, settings.queuePollInterval(), deadline, "no build started within " + settings.queueTimeout());
                return;
            }
            // the build may be over already (a short job): looked at in this same step, with the row just recorded
            row = started(row, build.get());
            deadline = Instant.now().plus(settings.buildTimeout());
        }
        try {
            Optional<String> result = client.result(URI.create(row.buildUrl()));
            if (result.isPresent()) {
                TriggerRow completed = row.moved(State.COMPLETED, null, null, null, result.get());
                events.publish(completed, Status.COMPLETED, "result " + result.get());
                statuses.finished(completed, result.get());
                triggers.update(id, State.COMPLETED, null, null, null, null, result.get());
                return;
            }
        } catch (JenkinsCallException e) {
            failedLook(row, deadline, e);
            return;
        }
        next(row, settings.buildPollInterval(), deadline, "no result within " + settings.buildTimeout());
    }

    /** A transient failure is looked at again at the next poll (within the same deadline); any other fails the trigger. */
    private void failedLook(TriggerRow row, Instant deadline, JenkinsCallException e) {
        if (e.transientFailure()) {
            LOG.debugf("following trigger %s: %s; trying again", row.id(), e.getMessage());
            next(row, settings.queuePollInterval(), deadline, e.getMessage());
        } else {
            fail(row.id(), e.getMessage());
        }
    }

    /** Records the build the queue item became (also used when a lost trigger is found in Jenkins). */
    public TriggerRow started(TriggerRow row, JenkinsBuildRef build) {
        TriggerRow started = row.moved(State.STARTED, null, build.url(), build.number(), null);
        events.publish(started, Status.STARTED, null);
        statuses.started(started);
        return triggers.update(row.id(), State.STARTED, null, null, build.url(), build.number(), null);
    }

    private void next(TriggerRow row, Duration interval, Instant deadline, String timeoutReason) {
        if (Instant.now().isAfter(deadline)) {
            fail(row.id(), timeoutReason);
        } else {
            schedule(row.id(), interval, deadline);
        }
    }

    private void fail(UUID id, String reason) {
        triggers.byId(id).ifPresent(row -> {
            events.publish(row.moved(State.FAILED, reason, null, null, null), Status.FAILED, reason);
            triggers.update(id, State.FAILED, reason, null, null, null, null);
        });
    }
}
