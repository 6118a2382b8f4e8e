package io.bitbridge.infra.process;

import java.util.Arrays;
import java.util.Optional;

/**
 * The process that owns shared test infrastructure: the Maven JVM running the build (an ancestor of each
 * forked test JVM), so one broker and one database serve every module of a build and die with it.
 * Outside Maven (an IDE, a plain java command), the current JVM owns them.
 */
public final class BuildOwner {
    private BuildOwner() {
    }

    public static long pid() {
        Optional<ProcessHandle> current = ProcessHandle.current().parent();
        while (current.isPresent()) {
            ProcessHandle handle = current.get();
            if (isMaven(handle)) {
                return handle.pid();
            }
            current = handle.parent();
        }
        return ProcessHandle.current().pid();
    }

    private static boolean isMaven(ProcessHandle handle) {
        return handle.info().arguments()
                .map(args -> Arrays.stream(args).anyMatch(a -> a.contains("plexus.classworlds") || a.contains("org.codehaus.plexus.classworlds.launcher.Launcher")))
                .orElse(false)
                || handle.info().commandLine().map(c -> c.contains("plexus-classworlds")).orElse(false);
    }
}
