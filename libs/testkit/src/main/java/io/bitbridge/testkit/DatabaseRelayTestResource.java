package io.bitbridge.testkit;

import io.bitbridge.infra.postgres.PostgresServer;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link BitbridgeTestResource} with the service's database reached through a {@link TcpRelay}, so that a test can take
 * PostgreSQL away from the service ({@link #relay()}{@code .cut()}) and give it back ({@code restore()}) without touching
 * the server every test shares. {@link TestInfra#jdbc()} still reaches the database directly, also during a cut.
 */
public class DatabaseRelayTestResource extends BitbridgeTestResource {
    private static volatile TcpRelay relay;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        PostgresServer postgres = SharedTestInfra.get().postgres();
        relay = TcpRelay.to(postgres.host(), postgres.port());
        config.put("bitbridge.db.location", "//" + relay.host() + ":" + relay.port() + "/" + SharedTestInfra.DATABASE);
        return config;
    }

    /** The relay between the running test class's service and PostgreSQL. */
    public static TcpRelay relay() {
        if (relay == null) {
            throw new IllegalStateException("DatabaseRelayTestResource has not started: annotate the test with "
                    + "@WithTestResource(DatabaseRelayTestResource.class)");
        }
        return relay;
    }

    @Override
    public void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
        super.stop();
    }
}
