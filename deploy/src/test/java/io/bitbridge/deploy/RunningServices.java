package io.bitbridge.deploy;

import io.bitbridge.infra.process.FreePort;
import io.bitbridge.testkit.BitbridgeTestResource;
import io.bitbridge.testkit.TestTokens;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/**
 * credential-service and webhook-gateway run from their built jars as the launcher runs them, each with its own
 * PostgreSQL schema, both on one topic suffix of the build's Kafka, the gateway reading its secrets from this
 * credential-service (directly, or through a relay the test puts between them) and credential-service registering hooks
 * that point at this gateway. Output goes to
 * {@code target/<service>-<test>.log}; both exit with the test JVM at the latest.
 */
final class RunningServices implements AutoCloseable {
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(3);
    private static final List<String> NAMES = List.of("credential-service", "webhook-gateway");

    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<BitbridgeTestResource> resources = new ArrayList<>();

    private RunningServices() {
    }

    /**
     * Starts both services ({@code extra}: more settings per service name) and waits until both are ready; the gateway
     * reaches credential-service through {@code gatewayToCredentials} (a relay to its port) when one is given.
     */
    static RunningServices start(Map<String, Map<String, String>> extra, java.util.function.IntFunction<Integer> gatewayToCredentials)
            throws IOException, InterruptedException {
        RunningServices services = new RunningServices();
        try {
            NAMES.forEach(name -> services.ports.put(name, FreePort.find()));
            int credentialServicePort = gatewayToCredentials.apply(services.ports.get("credential-service"));
            String topicSuffix = null;
            for (String name : NAMES) {
                BitbridgeTestResource resource = new BitbridgeTestResource();
                services.resources.add(resource);
                Map<String, String> config = new HashMap<>(resource.start(name));
                topicSuffix = topicSuffix == null ? config.get("bitbridge.topic-suffix") : topicSuffix;
                config.put("bitbridge.topic-suffix", topicSuffix);
                config.put("quarkus.http.port", String.valueOf(services.ports.get(name)));
                config.put("quarkus.http.host", "127.0.0.1");
                config.put("quarkus.rest-client.credential-service.url", "http://127.0.0.1:" + credentialServicePort);
                config.put("bitbridge.credentials.public-base-url", services.url("webhook-gateway"));
                // the Bitbucket fake listens on loopback over plain http, which credential-service refuses unless allow-listed
                config.put("bitbridge.outbound.http-allowed-hosts", "127.0.0.1,localhost");
                config.put("bitbridge.outbound.private-allowed-hosts", "127.0.0.1,localhost");
                config.putAll(extra.getOrDefault(name, Map.of()));
                services.processes.put(name, launch(name, config));
            }
            services.awaitReady();
            return services;
        } catch (IOException | InterruptedException | RuntimeException e) {
            services.close();
            throw e;
        }
    }

    String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /** An admin's request to {@code service}; its answer must have {@code status}. */
    ExtractableResponse<Response> admin(String method, String service, String path, String json, int status) {
        RequestSpecification request = given().baseUri(url(service)).urlEncodingEnabled(false).auth().oauth2(TestTokens.admin());
        if (json != null) {
            request.contentType("application/json").body(json);
        }
        return request.request(method, path).then().statusCode(status).extract();
    }

    private static Process launch(String name, Map<String, String> config) throws IOException {
        Path projectRoot = Path.of("..").toAbsolutePath().normalize();
        ServiceSpec spec = ServiceSpec.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dbitbridge.owner-pid=" + ProcessHandle.current().pid()));
        Map<String, String> secrets = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.endsWith(".password") || key.endsWith(".secret")) {
                // secrets by environment, never on a command line that ps shows (BITBRIDGE_DB_PASSWORD, ...)
                secrets.put(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value);
            } else {
                command.add("-D" + key + "=" + value);
            }
        });
        command.add("-jar");
        command.add(spec.runnableJar(projectRoot).toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectRoot.toFile()).redirectErrorStream(true)
                .redirectOutput(Files.createDirectories(Path.of("target")).resolve(name + "-rotation.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(secrets);
        byte[] key = new byte[32];
        ThreadLocalRandom.current().nextBytes(key);
        builder.environment().put("BITBRIDGE_CRYPTO_KEY", Base64.getEncoder().encodeToString(key));
        return builder.start();
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        for (String name : NAMES) {
            while (!ready(http, name)) {
                if (!processes.get(name).isAlive()) {
                    throw new IllegalStateException(name + " exited with " + processes.get(name).exitValue() + ": see target/" + name
                            + "-rotation.log");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " not ready within " + HEALTHY_WITHIN + ": see target/" + name + "-rotation.log");
                }
                Thread.sleep(250);
            }
        }
    }

    private boolean ready(HttpClient http, String name) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url(name) + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        for (Process process : processes.values()) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        resources.forEach(BitbridgeTestResource::stop);
    }
}
