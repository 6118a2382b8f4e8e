package io.bitbridge.deploy;

import io.bitbridge.infra.postgres.PostgresServer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a {@link Stack} runs: {@code ./bitbridge up} uses {@link #local}; the end-to-end tests run the same services on
 * free ports against the build's broker and PostgreSQL, with the fakes of their own.
 *
 * @param settings        the outside world (real products, or the fakes)
 * @param sandboxFakes    start the sandbox fakes on their fixed ports ({@code --sandbox})
 * @param kafkaBootstrap  an existing broker, or empty: start one on {@link Stack#KAFKA_PORT}
 * @param postgres        an existing server, or empty: the machine's PostgreSQL or an embedded one
 * @param database        the database every service keeps its schema in
 * @param ports           each service's HTTP port, by name
 * @param properties      more configuration for every service, as {@code -D} options (never secrets)
 * @param serviceProperties more configuration for one service, by its name (over {@code properties}; never secrets)
 */
public record StackOptions(LocalSettings settings, boolean sandboxFakes, Optional<String> kafkaBootstrap,
                           Optional<PostgresServer> postgres, String database, Map<String, Integer> ports,
                           Map<String, String> properties, Map<String, Map<String, String>> serviceProperties) {
    public StackOptions {
        ports = Map.copyOf(ports);
        properties = Map.copyOf(properties);
        serviceProperties = Map.copyOf(serviceProperties);
    }

    /** No configuration for one service alone. */
    public StackOptions(LocalSettings settings, boolean sandboxFakes, Optional<String> kafkaBootstrap,
                        Optional<PostgresServer> postgres, String database, Map<String, Integer> ports, Map<String, String> properties) {
        this(settings, sandboxFakes, kafkaBootstrap, postgres, database, ports, properties, Map.of());
    }

    /** {@code ./bitbridge up}: the fixed ports of services.tsv, Kafka on 9092, database {@value Stack#DATABASE}. */
    static StackOptions local(LocalSettings settings, boolean sandboxFakes) {
        return new StackOptions(settings, sandboxFakes, Optional.empty(), Optional.empty(), Stack.DATABASE,
                ports(ServiceSpec::port), Map.of());
    }

    /** Every service's port from a function of its spec. */
    public static Map<String, Integer> ports(Function<ServiceSpec, Integer> port) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(spec -> ports.put(spec.name(), port.apply(spec)));
        return ports;
    }

    public int port(ServiceSpec spec) {
        Integer port = ports.get(spec.name());
        if (port == null) {
            throw new IllegalStateException("no port for " + spec.name());
        }
        return port;
    }

    public String url(ServiceSpec spec) {
        return "http://127.0.0.1:" + port(spec);
    }
}
