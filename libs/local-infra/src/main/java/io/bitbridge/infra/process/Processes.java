package io.bitbridge.infra.process;

import java.util.concurrent.TimeUnit;

/** Stopping a process politely first: SIGTERM lets JVMs run their shutdown hooks; SIGKILL only after the grace time. */
public final class Processes {
    private Processes() {
    }

    public static void stop(ProcessHandle handle, int graceSeconds) {
        handle.destroy();
        awaitExit(handle, graceSeconds);
    }

    /** Waits for a process already asked to stop; kills it when the grace time runs out. */
    public static void awaitExit(ProcessHandle handle, int graceSeconds) {
        try {
            handle.onExit().get(graceSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }
}
