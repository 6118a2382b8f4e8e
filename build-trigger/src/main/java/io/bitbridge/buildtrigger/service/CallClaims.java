package io.bitbridge.buildtrigger.service;

import io.bitbridge.buildtrigger.config.TriggerConfig;
import io.bitbridge.buildtrigger.repository.TriggerRepository;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Who calls Jenkins for a trigger. Within this process one thread at a time works on a trigger ({@link #enter}); across
 * processes a CALLING row names its caller ({@link #owner}) and holds until {@code claimed_until}, which this process
 * renews every third of the lease for the triggers it works on. So a push handled again while its first handling still
 * waits for Jenkins (a partition handed to another consumer of this or another instance, a second instance reading
 * a replay) waits for that call instead of calling Jenkins a second time; a row whose caller died is free once the
 * claim has run out.
 */
@ApplicationScoped
public class CallClaims {
    private static final Logger LOG = Logger.getLogger(CallClaims.class);

    private final TriggerRepository triggers;
    private final Duration lease;
    private final String owner = "build-trigger-" + UUID.randomUUID();
    private final Set<UUID> working = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "trigger-claims");
        thread.setDaemon(true);
        return thread;
    });

    CallClaims(TriggerRepository triggers, TriggerConfig config) {
        this.triggers = triggers;
        this.lease = config.jenkins().callLease();
        long every = Math.max(1, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** This process's name on the rows it claims. */
    public String owner() {
        return owner;
    }

    public Duration lease() {
        return lease;
    }

    /** How long to wait before looking again at a row another caller holds. */
    Duration pollInterval() {
        return Duration.ofMillis(Math.max(20, Math.min(200, lease.toMillis() / 10)));
    }

    /** True when this thread may now work on the trigger; false while another thread of this process does. */
    boolean enter(UUID id) {
        return working.add(id);
    }

    void leave(UUID id) {
        working.remove(id);
    }

    private void renew() {
        if (working.isEmpty()) {
            return;
        }
        try {
            triggers.renewClaims(List.copyOf(working), owner, lease);
        } catch (RuntimeException e) {
            LOG.warnf("renewing the claims of %d triggers failed: %s", working.size(), e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        renewer.shutdownNow();
    }
}
