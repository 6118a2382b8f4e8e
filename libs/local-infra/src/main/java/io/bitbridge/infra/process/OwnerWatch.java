package io.bitbridge.infra.process;

/**
 * Runs in a child JVM: when the owner process ends (normally, by Ctrl-C or by a crash), the child
 * exits too, so no broker or database outlives the build or launcher that started it.
 */
public final class OwnerWatch {
    private OwnerWatch() {
    }

    public static void exitWhenGone(long ownerPid) {
        var owner = ProcessHandle.of(ownerPid);
        if (owner.isEmpty()) {
            System.err.println("owner process " + ownerPid + " is already gone; exiting");
            System.exit(0);
        }
        Thread watcher = new Thread(() -> {
            owner.get().onExit().join();
            System.err.println("owner process " + ownerPid + " ended; shutting down");
            System.exit(0);
        }, "owner-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
