package io.bitbridge.common.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * When a launcher started this service ({@code bitbridge.owner-pid} set), the service shuts down as soon as
 * the launcher is gone, even if it was killed and could not stop its children itself.
 */
@Singleton
public class OwnerWatchdog {
    private static final Logger LOG = Logger.getLogger(OwnerWatchdog.class);

    void onStart(@Observes StartupEvent event, @ConfigProperty(name = "bitbridge.owner-pid") Optional<Long> ownerPid) {
        ownerPid.flatMap(ProcessHandle::of).ifPresent(owner -> owner.onExit().thenRun(() -> {
            LOG.infof("launcher %d ended; shutting down", owner.pid());
            Quarkus.asyncExit();
        }));
    }
}
