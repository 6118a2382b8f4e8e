package io.bitbridge.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the launcher starts one service: the command line holds nothing secret (every local user can read it with
 * {@code ps}); the database password, the service's client secret and credential-service's crypto key go through the
 * environment, which only the service's owner can read. Services listen on {@code httpHost} (loopback unless
 * {@code BITBRIDGE_HTTP_HOST} says otherwise) and get their tokens from the launcher's token endpoint.
 *
 * @param settingsEnvironment what every service gets through its environment: the outside world's URLs and secrets
 * @param buildTriggerConfig  build-trigger's owner-only configuration file (its job mapping)
 * @param properties          more configuration for every service, as {@code -D} options (never secrets)
 */
record ServiceLaunch(Path java, long ownerPid, String httpHost, String kafkaBootstrapServers, String dbLocation, String dbUser,
                     String dbPassword, Path publicKey, String tokenEndpointUrl, String cryptoKey,
                     Map<String, String> settingsEnvironment, Path buildTriggerConfig, Map<String, String> properties) {
    static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    static final String CREDENTIAL_SERVICE = "credential-service";

    /** The host services listen on: {@code BITBRIDGE_HTTP_HOST} from the launcher's environment, or loopback. */
    static String httpHost(Map<String, String> launcherEnvironment) {
        String host = launcherEnvironment.get("BITBRIDGE_HTTP_HOST");
        return host == null || host.isBlank() ? DEFAULT_HTTP_HOST : host.strip();
    }

    /** The same launch with more {@code -D} options (one service's own, over the ones every service gets). */
    ServiceLaunch withProperties(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(properties);
        merged.putAll(more);
        return new ServiceLaunch(java, ownerPid, httpHost, kafkaBootstrapServers, dbLocation, dbUser, dbPassword, publicKey,
                tokenEndpointUrl, cryptoKey, settingsEnvironment, buildTriggerConfig, merged);
    }

    List<String> command(ServiceSpec spec, int port, Path runnableJar) {
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-Xms32m", "-Xmx192m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-Dbitbridge.owner-pid=" + ownerPid,
                "-Dquarkus.http.host=" + httpHost,
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + kafkaBootstrapServers,
                "-Dbitbridge.db.location=" + dbLocation,
                "-Dbitbridge.db.user=" + dbUser,
                // Six JVMs start at once on a small machine: a first database connection may take longer than the 5 s default.
                "-Dquarkus.datasource.jdbc.acquisition-timeout=60s",
                "-Dbitbridge.auth.issuer=" + LocalKeys.ISSUER,
                "-Dbitbridge.auth.public-key-location=" + publicKey,
                "-Dbitbridge.auth.oidc-client.auth-server-url=" + tokenEndpointUrl,
                "-Dbitbridge.auth.oidc-client.client-id=" + spec.name()));
        if (spec.name().equals("build-trigger")) {
            command.add("-Dquarkus.config.locations=" + buildTriggerConfig.toUri());
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(runnableJar.toString());
        return command;
    }

    /**
     * What the service gets through its environment, on top of the launcher's ({@code BITBRIDGE_CRYPTO_KEY} of the
     * launcher's own environment is dropped for every other service by {@link #applyTo}).
     */
    Map<String, String> environment(ServiceSpec spec, String clientSecret) {
        Map<String, String> environment = new LinkedHashMap<>(settingsEnvironment);
        environment.put("BITBRIDGE_DB_PASSWORD", dbPassword);
        environment.put("BITBRIDGE_AUTH_OIDC_CLIENT_SECRET", clientSecret);
        if (spec.name().equals(CREDENTIAL_SERVICE)) {
            // Secrets at rest are credential-service's alone.
            environment.put("BITBRIDGE_CRYPTO_KEY", cryptoKey);
        }
        return environment;
    }

    /** Sets a child's environment: the launcher's, without the crypto key unless it is credential-service, plus {@link #environment}. */
    void applyTo(Map<String, String> childEnvironment, ServiceSpec spec, String clientSecret) {
        childEnvironment.remove("BITBRIDGE_CRYPTO_KEY");
        childEnvironment.putAll(environment(spec, clientSecret));
    }
}
