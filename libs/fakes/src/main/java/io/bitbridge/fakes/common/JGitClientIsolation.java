package io.bitbridge.fakes.common;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps a JGit client in tests away from the real {@code ~/.gitconfig} and {@code ~/.config/jgit}: user, system
 * and JGit configuration live in {@code home}, and the file-store timestamp resolution JGit would otherwise
 * measure (seconds, once per store) is seeded with a coarse, safe value. {@link #close()} restores JGit's
 * previous settings. Use around tests that clone or push to a fake with {@code Git.cloneRepository()} etc.
 */
public final class JGitClientIsolation implements AutoCloseable {

    private final SystemReader previousReader;
    private final File previousHome;

    private JGitClientIsolation(Path home) throws IOException {
        String store = System.getProperty("java.vendor") + "|" + System.getProperty("java.version") + "|"
                + Files.getFileStore(home).name();
        Files.writeString(home.resolve("jgit-config"), "[filesystem \"" + store + "\"]\n"
                + "\ttimestampResolution = 10 milliseconds\n\tminRacyThreshold = 0 nanoseconds\n");
        this.previousReader = SystemReader.getInstance();
        this.previousHome = FS.DETECTED.userHome();
        FS.DETECTED.setUserHome(home.toFile());
        SystemReader.setInstance(new SystemReader.Delegate(previousReader) {
            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                return new FileBasedConfig(parent, home.resolve("gitconfig").toFile(), fs);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return new FileBasedConfig(parent, home.resolve("system-gitconfig").toFile(), fs);
            }

            @Override
            public FileBasedConfig openJGitConfig(Config parent, FS fs) {
                return new FileBasedConfig(parent, home.resolve("jgit-config").toFile(), fs);
            }
        });
    }

    /** Isolates JGit in {@code home} (an existing, empty directory) until {@link #close()}. */
    public static JGitClientIsolation in(Path home) throws IOException {
        return new JGitClientIsolation(home);
    }

    @Override
    public void close() {
        SystemReader.setInstance(previousReader);
        FS.DETECTED.setUserHome(previousHome);
    }
}
