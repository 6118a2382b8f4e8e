package io.bitbridge.infra.process;

import io.bitbridge.infra.InfraException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Starts a main class of this module in a child JVM with the module's own runtime class path (written at
 * build time), so the Kafka broker and embedded PostgreSQL jars never share a class path with a service.
 */
public final class ChildJvm {
    private static final String CLASSPATH_RESOURCE = "/META-INF/bitbridge/local-infra.classpath";

    private ChildJvm() {
    }

    public static Process start(Class<?> mainClass, List<String> jvmOptions, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());
        command.addAll(args);
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    /**
     * Starts the child with a fresh {@code readyFile} to write and waits until it has. {@code what} names it for
     * people ("the Kafka broker"); {@code exited} turns the exit code of a child that died while starting into the
     * message a person reads.
     */
    public static Process startAndAwaitReady(String what, Class<?> mainClass, List<String> jvmOptions, List<String> args,
                                             Path readyFile, Path log, Duration timeout, IntFunction<String> exited)
            throws IOException {
        Files.createDirectories(readyFile.getParent());
        Files.deleteIfExists(readyFile);
        Process process = start(mainClass, jvmOptions, args, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!Files.exists(readyFile)) {
                if (!process.isAlive()) {
                    throw new InfraException(exited.apply(process.exitValue()));
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new InfraException(what + " was not ready after " + timeout.toSeconds() + " s; see " + log);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new InfraException("interrupted while starting " + what, e);
        }
        return process;
    }

    /** The java of this JVM: the child runs on the same JDK the caller was started with. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classPath() {
        String ownLocation;
        try {
            ownLocation = Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = ChildJvm.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build libs/local-infra with Maven first");
            }
            return ownLocation + java.io.File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
