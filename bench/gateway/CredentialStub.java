import com.sun.net.httpserver.HttpServer;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * credential-service's webhook-secrets endpoint for the benchmark only: every credential id has the secret given on
 * the command line, written as the shared {@link WebhookSecrets} record. It requires a bearer token but, unlike the
 * real service, does not verify it; it also answers the gateway's client-credentials token request ({@code /token}) with
 * a token of its own, unsigned, which only this stub is shown. Runs on the gateway's own class path (its quarkus-app/lib/main jars):
 * {@code java -cp 'webhook-gateway/target/quarkus-app/lib/main/*' CredentialStub.java PORT SECRET}
 */
public class CredentialStub {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] body = EventJson.toBytes(new WebhookSecrets(args[1], null, null, null, false, Provider.BITBUCKET_CLOUD, null));
        byte[] refused = "{}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext(InternalCredentialApi.ROOT + "/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean ok = auth != null && auth.startsWith("Bearer ") && exchange.getRequestURI().getPath().endsWith("/webhook-secrets");
            byte[] bytes = ok ? body : refused;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        byte[] token = "{\"access_token\":\"bench\",\"token_type\":\"Bearer\",\"expires_in\":3600}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/token", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, token.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(token);
            }
        });
        server.start();
        System.err.println("credential stub on 127.0.0.1:" + port);
    }
}
