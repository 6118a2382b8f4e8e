package io.bitbridge.testkit;

import io.bitbridge.common.auth.ClientCredentialsEndpoint;
import io.bitbridge.common.auth.ServiceScopes;
import io.bitbridge.common.auth.TokenMinter;
import io.bitbridge.infra.kafka.KafkaBroker;
import io.bitbridge.infra.postgres.PostgresServer;
import io.bitbridge.infra.process.BuildOwner;
import io.bitbridge.infra.process.SharedState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers of a whole build, made once per JVM: one Kafka broker and one PostgreSQL shared by every
 * module's test JVM (they die with the Maven process), plus this JVM's token key pair and the client-credentials token
 * endpoint signing with it, where the services under test get their service tokens as in production.
 * {@code KAFKA_BOOTSTRAP_SERVERS} in the environment points the tests at an existing broker instead;
 * {@code -Dbitbridge.infra=testcontainers} runs both in containers where a Docker engine answers ({@link ContainerInfra}).
 */
public final class SharedTestInfra {
    public static final String DATABASE = "bitbridge_test";
    private static volatile SharedTestInfra instance;

    private final String kafkaBootstrapServers;
    private final PostgresServer postgres;
    private final KeyPair keys;
    private final Path publicKeyFile;
    private final ClientCredentialsEndpoint tokenEndpoint;
    private final Map<String, String> clientSecrets = new ConcurrentHashMap<>();

    private SharedTestInfra(String kafkaBootstrapServers, PostgresServer postgres, KeyPair keys, Path publicKeyFile) {
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.postgres = postgres;
        this.keys = keys;
        this.publicKeyFile = publicKeyFile;
        this.tokenEndpoint = ClientCredentialsEndpoint.start(TestTokens.minter(keys.getPrivate()), Duration.ofMinutes(10), 0);
    }

    public static SharedTestInfra get() {
        if (instance == null) {
            synchronized (SharedTestInfra.class) {
                if (instance == null) {
                    instance = create();
                }
            }
        }
        return instance;
    }

    private static SharedTestInfra create() {
        String bootstrap;
        PostgresServer postgres;
        if (ContainerInfra.selected(System.getProperty(ContainerInfra.PROPERTY)) == ContainerInfra.Kind.TESTCONTAINERS) {
            ContainerInfra.Started containers = ContainerInfra.start();
            bootstrap = containers.kafkaBootstrapServers();
            postgres = containers.postgres();
        } else {
            long owner = BuildOwner.pid();
            SharedState state = new SharedState(Path.of(System.getProperty("java.io.tmpdir"), "bitbridge-test-infra-" + owner));
            String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            bootstrap = external != null && !external.isBlank() ? external : KafkaBroker.shared(state, owner).bootstrapServers();
            postgres = PostgresServer.locate(state, owner);
        }
        postgres.ensureDatabase(DATABASE);
        KeyPair keys = TokenMinter.generateKeyPair();
        try {
            Path publicFile = Files.createTempFile("bitbridge-test-key", ".pub.pem");
            publicFile.toFile().deleteOnExit();
            Files.writeString(publicFile, TokenMinter.publicKeyPem(keys.getPublic()));
            return new SharedTestInfra(bootstrap, postgres, keys, publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KeyPair keys() {
        return keys;
    }

    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** Where services under test ask for tokens ({@code quarkus-oidc-client}'s {@code auth-server-url}). */
    public String tokenEndpointUrl() {
        return tokenEndpoint.baseUrl().toString();
    }

    /**
     * The client secret of a service identity at the token endpoint, registered on first use with the scopes that
     * service is granted ({@link ServiceScopes}).
     */
    public String clientSecret(String serviceName) {
        return clientSecrets.computeIfAbsent(serviceName, name -> tokenEndpoint.register(name, ServiceScopes.of(name)));
    }

    /** Registers a client with exactly these scopes (a service identity that no real service has), returning its secret. */
    public String registerClient(String clientId, java.util.Set<String> scopes) {
        String secret = tokenEndpoint.register(clientId, scopes);
        clientSecrets.put(clientId, secret);
        return secret;
    }
}
