package io.bitbridge.testkit.fakes;

import io.bitbridge.testkit.fakes.cloud.BitbucketCloudFake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox fakes standalone on their fixed ports until the process is stopped:
 * {@code java -cp <testkit classpath> io.bitbridge.testkit.fakes.SandboxFakes}.
 *
 * <p>Bitbucket Cloud on {@value BitbucketCloudFake#SANDBOX_PORT} (facts in {@link BitbucketCloudFake}): API
 * {@code http://127.0.0.1:8090/2.0}, OAuth {@code http://127.0.0.1:8090/site/oauth2/...}, git
 * {@code http://127.0.0.1:8090/acme/game.git}; user {@code sandbox@example.com} / API token
 * {@code sandbox-token}; OAuth consumer {@code sandbox-key} / {@code sandbox-secret}; workspace {@code acme}
 * ({@code game}, {@code infra} on {@code main}) and {@code tools} ({@code scripts}).
 */
public final class SandboxFakes {
    private SandboxFakes() {
    }

    /** Starts every sandbox fake; the caller closes them. */
    public static List<AutoCloseable> startAll() {
        List<AutoCloseable> started = new ArrayList<>();
        BitbucketCloudFake cloud = BitbucketCloudFake.sandboxBuilder().port(BitbucketCloudFake.SANDBOX_PORT).start();
        started.add(cloud);
        System.out.println("Bitbucket Cloud fake: " + cloud.baseUri() + " (API " + cloud.apiUrl() + ")");
        return started;
    }

    public static void main(String[] args) throws InterruptedException {
        List<AutoCloseable> fakes = startAll();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable fake : fakes) {
                try {
                    fake.close();
                } catch (Exception e) {
                    System.err.println("stopping " + fake + " failed: " + e);
                }
            }
            stopped.countDown();
        }, "sandbox-fakes-stop"));
        stopped.await();
    }
}
