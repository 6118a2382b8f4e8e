package io.bitbridge.fakes;

import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.jenkins.JenkinsFake;
import io.bitbridge.fakes.server.BitbucketServerFake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox fakes standalone on their fixed ports until the process is stopped:
 * {@code java -cp <testkit classpath> io.bitbridge.fakes.SandboxFakes}.
 *
 * <p>Bitbucket Cloud on {@value BitbucketCloudFake#SANDBOX_PORT} (facts in {@link BitbucketCloudFake}): API
 * {@code http://127.0.0.1:8090/2.0}, OAuth {@code http://127.0.0.1:8090/site/oauth2/...}, git
 * {@code http://127.0.0.1:8090/acme/game.git}; user {@code sandbox@example.com} / API token
 * {@code sandbox-token}; OAuth consumer {@code sandbox-key} / {@code sandbox-secret}; workspace {@code acme}
 * ({@code game}, {@code infra} on {@code main}) and {@code tools} ({@code scripts}).
 *
 * <p>Bitbucket Server / Data Center on {@value BitbucketServerFake#SANDBOX_PORT}: REST
 * {@code http://127.0.0.1:7990/rest/api/1.0}, git {@code http://127.0.0.1:7990/scm/ops/platform.git}; user
 * {@code sandbox} with HTTP access token {@code sandbox-server-token} (Bearer, or Basic {@code sandbox:token});
 * project {@code OPS} with repository {@code platform} on {@code main}.
 *
 * <p>Jenkins on {@value JenkinsFake#SANDBOX_PORT}: {@code http://127.0.0.1:8089}, user {@code sandbox} with API
 * token {@code sandbox-jenkins-token}; jobs {@code GameBuild} (parameters BRANCH, COMMIT), {@code ci-default},
 * {@code Folder/Sub/Job}; triggers listed at {@code /_sandbox/triggers}.
 */
public final class SandboxFakes {
    private SandboxFakes() {
    }

    /** Starts every sandbox fake; the caller closes them. */
    public static List<AutoCloseable> startAll() {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            BitbucketCloudFake cloud = BitbucketCloudFake.sandboxBuilder().port(BitbucketCloudFake.SANDBOX_PORT).start();
            started.add(cloud);
            System.out.println("Bitbucket Cloud fake: " + cloud.baseUri() + " (API " + cloud.apiUrl() + ")");
            BitbucketServerFake server = BitbucketServerFake.sandbox();
            started.add(server);
            System.out.println("Bitbucket Server fake: " + server.baseUrl() + " (API " + server.baseUrl() + "/rest/api/1.0)");
            JenkinsFake jenkins = JenkinsFake.sandbox();
            started.add(jenkins);
            System.out.println("Jenkins fake: " + jenkins.baseUrl());
        } catch (RuntimeException portTaken) {
            // Leave nothing half-started behind when one fixed port is busy.
            closeAll(started);
            throw portTaken;
        }
        return started;
    }

    public static void main(String[] args) throws InterruptedException {
        List<AutoCloseable> fakes = startAll();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll(fakes);
            stopped.countDown();
        }, "sandbox-fakes-stop"));
        stopped.await();
    }

    private static void closeAll(List<AutoCloseable> fakes) {
        for (AutoCloseable fake : fakes) {
            try {
                fake.close();
            } catch (Exception e) {
                System.err.println("stopping " + fake + " failed: " + e);
            }
        }
    }
}
