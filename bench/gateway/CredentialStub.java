import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * credential-service's webhook-secrets contract for the benchmark only: every credential id has the secret given
 * on the command line. It requires a bearer token but, unlike the real service, does not verify it.
 * Usage: java CredentialStub.java PORT SECRET
 */
public class CredentialStub {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String body = "{\"current\":\"" + args[1] + "\",\"previous\":null,\"previousValidUntil\":null,"
                + "\"acceptUnsignedWithToken\":false,\"provider\":\"BITBUCKET_CLOUD\"}";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/internal/credentials/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean ok = auth != null && auth.startsWith("Bearer ") && exchange.getRequestURI().getPath().endsWith("/webhook-secrets");
            byte[] bytes = (ok ? body : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        System.err.println("credential stub on 127.0.0.1:" + port);
    }
}
