package io.bitbridge.testkit;

import io.bitbridge.common.messaging.KafkaTopics;
import io.bitbridge.events.EventType;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The Quarkus test resource every module's tests use:
 * {@code @WithTestResource(value = BitbridgeTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)}
 * (restricted to the class, so Quarkus restarts and the class starts from nothing). Points the service at the build's shared Kafka
 * and PostgreSQL, and gives the test class its own schema and topic suffix, so no test class sees another's
 * data. Tokens for the test come from {@link TestTokens}, topics from {@link TestInfra#topic(String)}.
 */
public class BitbridgeTestResource implements QuarkusTestResourceLifecycleManager {
    static final String KAFKA_SASL_MECHANISM = "SCRAM-SHA-512";
    static final String KAFKA_SASL_JAAS_CONFIG = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"bitbridge-test\" password=\"unused\";";
    private String schema;

    @Override
    public Map<String, String> start() {
        return start(serviceName());
    }

    /**
     * The configuration of {@code serviceName} under test, for a test that runs a service's jar rather than the service
     * on its own class path.
     */
    public Map<String, String> start(String serviceName) {
        SharedTestInfra infra = SharedTestInfra.get();
        String isolation = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        schema = "test_" + isolation;
        infra.postgres().createSchema(SharedTestInfra.DATABASE, schema);
        TestInfra.begin(isolation, schema);
        // Every event topic of the class, made before the service starts: a consumer that finds its topic missing asks
        // the broker to create it and joins its group only after a few metadata rounds (seconds), which every first test
        // of a class would wait out.
        KafkaTopics.create(infra.kafkaBootstrapServers(),
                Arrays.stream(EventType.values()).map(type -> type.topic() + "." + isolation).toList(), Optional.empty());

        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        config.put("bitbridge.db.location", "//" + infra.postgres().host() + ":" + infra.postgres().port() + "/" + SharedTestInfra.DATABASE);
        config.put("bitbridge.db.user", infra.postgres().user());
        config.put("bitbridge.db.password", infra.postgres().password());
        config.put("bitbridge.db.schema", schema);
        config.put("bitbridge.topic-suffix", "." + isolation);
        config.put("bitbridge.auth.public-key-location", infra.publicKeyFile().toString());
        // The service's own client at the build's token endpoint: service tokens go the production way (oidc-client).
        config.put("bitbridge.auth.oidc-client.auth-server-url", infra.tokenEndpointUrl());
        config.put("bitbridge.auth.oidc-client.client-id", serviceName);
        config.put("bitbridge.auth.oidc-client.secret", infra.clientSecret(serviceName));
        config.put("bitbridge.auth.issuer", TestTokens.ISSUER);
        config.put("kafka.auto.offset.reset", "earliest");
        // All channels of a service are members of one consumer group: a member that joins or leaves (each channel at
        // start and stop, a test's own member) makes all of them rejoin, and each learns of it from its next heartbeat.
        // Every 200 ms rather than Kafka's 3 s, so such a rebalance takes well under a second instead of seconds. The
        // session timeout stays Kafka's.
        config.put("kafka.heartbeat.interval.ms", "200");
        // Read by SASL connections only (the test broker speaks PLAINTEXT), so harmless here: they let
        // ServiceContractTests check that Kafka security settings reach every client of the service.
        config.put("kafka.sasl.mechanism", KAFKA_SASL_MECHANISM);
        config.put("kafka.sasl.jaas.config", KAFKA_SASL_JAAS_CONFIG);
        return config;
    }

    /** The service under test: {@code quarkus.application.name} of the first application.properties that names it. */
    private static String serviceName() {
        try {
            var resources = Thread.currentThread().getContextClassLoader().getResources("application.properties");
            while (resources.hasMoreElements()) {
                Properties properties = new Properties();
                try (InputStream in = resources.nextElement().openStream()) {
                    properties.load(in);
                }
                String name = properties.getProperty("quarkus.application.name");
                if (name != null && !name.isBlank()) {
                    return name.strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no application.properties on the class path sets quarkus.application.name");
    }

    @Override
    public void stop() {
        if (schema != null) {
            SharedTestInfra.get().postgres().dropSchema(SharedTestInfra.DATABASE, schema);
        }
    }
}
