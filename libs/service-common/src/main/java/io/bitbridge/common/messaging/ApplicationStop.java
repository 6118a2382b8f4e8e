package io.bitbridge.common.messaging;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;

/**
 * Whether this application has begun to stop. Quarkus closes what a handler works with (the database pool, made on
 * first use) in its first shutdown steps and stops the Kafka consumers only in its last, so a handler under way then
 * fails for no fault of its record. The application's own state says so before any shutdown step runs; the
 * {@link ShutdownEvent} alone would come too late (it is fired after such a pool has closed).
 */
@ApplicationScoped
class ApplicationStop {
    /** The application once it was seen running: it is stopping when it no longer is. */
    private volatile Application running;
    private volatile boolean shutdownEvent;

    /** Called as each record arrives. */
    void noteRunning() {
        if (running == null) {
            Application application = Application.currentApplication();
            if (application != null && application.isStarted()) {
                running = application;
            }
        }
    }

    boolean stopping() {
        Application application = running;
        return shutdownEvent || application != null && !application.isStarted();
    }

    void onShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        shutdownEvent = true;
    }
}
