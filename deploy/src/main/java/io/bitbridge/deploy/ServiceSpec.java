package io.bitbridge.deploy;

import java.nio.file.Path;
import java.util.List;

/** One Bitbridge service as the launcher runs it: its module, port and runnable jar. */
public record ServiceSpec(String name, int port) {

    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("webhook-gateway", 8080),
            new ServiceSpec("credential-service", 8081),
            new ServiceSpec("scraper-service", 8082),
            new ServiceSpec("commit-tracker", 8083),
            new ServiceSpec("build-trigger", 8084),
            new ServiceSpec("gitops-writer", 8085));

    public Path runnableJar(Path projectRoot) {
        return projectRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }
}
