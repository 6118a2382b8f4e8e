package io.bitbridge.gitops.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bitbridge.common.auth.Roles;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.InternalCredentialApi;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.fakes.cloud.BitbucketCloudFake;
import io.bitbridge.fakes.common.JGitClientIsolation;
import io.bitbridge.fakes.common.TestCa;
import io.bitbridge.fakes.common.TlsFront;
import io.bitbridge.fakes.server.BitbucketServerFake;
import io.bitbridge.testkit.SharedTestInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What gitops-writer talks to, in the test JVM: the Bitbucket Cloud fake (sandbox preset: {@code acme/infra} on
 * {@code main}), the Bitbucket Server fake (sandbox preset: {@code OPS/platform}, git over HTTP with the sandbox
 * token, also behind an HTTPS front whose certificate a throw-away test CA signed; the service's JGit kept away from the
 * user's git configuration) and a stand-in for credential-service answering its internal authorization API with the shared
 * {@link Authorization} record (a user API token for the fake) and its admin webhook-registration endpoint, which
 * records each registration and, as credential-service does, requires a token with the {@code admin} role.
 */
public class GitOpsFakes implements QuarkusTestResourceLifecycleManager {
    public static final String CREDENTIAL_ID = "7d0c9a52-55a4-4a43-9c1e-4a0f8f0d2b11";
    /** A Bitbucket Server / Data Center credential: the Server fake's sandbox user and HTTP access token. */
    public static final String SERVER_CREDENTIAL_ID = "0b7e4f3c-1d52-4c8e-9a61-5f2d3e8c7a90";
    /** The same Server user and token, the Server fake reached over HTTPS (a TLS front) and the test CA's certificate. */
    public static final String SERVER_TLS_CREDENTIAL_ID = "5c1d7e0a-8b34-4f2e-b6d9-2a7c9e4f1b03";
    /** As {@link #SERVER_TLS_CREDENTIAL_ID} without the CA: the server's certificate is not trusted. */
    public static final String SERVER_UNTRUSTED_CREDENTIAL_ID = "9e2b4c6d-3f1a-4d8e-a7b5-6c0d2e4f8a17";
    private static final String WEBHOOKS = "/api/credentials/";

    private static volatile BitbucketCloudFake cloud;
    private static volatile BitbucketServerFake server;
    private static volatile JGitClientIsolation jgit;
    private static volatile TestCa ca;
    private static volatile TlsFront serverOverTls;
    private static final List<String> registrations = new CopyOnWriteArrayList<>();
    private HttpServer credentialService;
    private ExecutorService executor;
    private Path cacheDir;

    @Override
    public Map<String, String> start() {
        cloud = BitbucketCloudFake.sandbox();
        server = BitbucketServerFake.sandbox(0);
        ca = TestCa.generate();
        serverOverTls = new TlsFront(ca, server.http().port());
        try {
            // the service's git client (the same JVM) stays away from the user's git configuration
            jgit = JGitClientIsolation.in(Files.createTempDirectory("gitops-jgit-home"));
            credentialService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            cacheDir = Files.createTempDirectory("gitops-cache");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        executor = Executors.newFixedThreadPool(8);
        credentialService.setExecutor(executor);
        credentialService.createContext(InternalCredentialApi.ROOT + "/", this::authorization);
        credentialService.createContext(WEBHOOKS, this::registerWebhook);
        credentialService.start();
        return Map.of("quarkus.rest-client.credential-service.url", "http://127.0.0.1:" + credentialService.getAddress().getPort(),
                "bitbridge.gitops.cache-dir", cacheDir.toString());
    }

    @Override
    public void stop() {
        if (credentialService != null) {
            credentialService.stop(0);
            executor.shutdownNow();
        }
        if (jgit != null) {
            jgit.close();
        }
        if (serverOverTls != null) {
            serverOverTls.close();
        }
        if (server != null) {
            server.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    public static BitbucketCloudFake cloud() {
        return cloud;
    }

    public static BitbucketServerFake server() {
        return server;
    }

    /** {@code credentialId owner/repo} of every webhook registration asked for, in order. */
    public static List<String> registrations() {
        return List.copyOf(registrations);
    }

    /** The authorization credential-service hands out for the fake's sandbox user API token. */
    public static Authorization sandboxAuthorization() {
        String basic = Base64.getEncoder().encodeToString((BitbucketCloudFake.SANDBOX_EMAIL + ":" + BitbucketCloudFake.SANDBOX_API_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        return new Authorization("Basic " + basic, null, cloud.apiUrl(), BitbucketCloudFake.SANDBOX_EMAIL,
                BitbucketCloudFake.SANDBOX_API_TOKEN, null, false, CredentialKind.BITBUCKET_CLOUD_API_TOKEN, Provider.BITBUCKET_CLOUD);
    }

    /** What credential-service hands out for the Server fake's sandbox user and HTTP access token. */
    public static Authorization serverAuthorization() {
        return new Authorization("Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null, server.baseUrl(), BitbucketServerFake.SANDBOX_USER,
                BitbucketServerFake.SANDBOX_TOKEN, null, false, CredentialKind.BITBUCKET_SERVER_TOKEN, Provider.BITBUCKET_SERVER);
    }

    /** The Server fake's sandbox user and token over HTTPS; {@code withCa}: with the test CA that signed the front's certificate. */
    public static Authorization serverOverTlsAuthorization(boolean withCa) {
        return new Authorization("Bearer " + BitbucketServerFake.SANDBOX_TOKEN, null, serverOverTls.baseUrl(), BitbucketServerFake.SANDBOX_USER,
                BitbucketServerFake.SANDBOX_TOKEN, withCa ? ca.caPem() : null, false, CredentialKind.BITBUCKET_SERVER_TOKEN,
                Provider.BITBUCKET_SERVER);
    }

    private void authorization(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!hasRole(exchange, Roles.READ_AUTHORIZATIONS)) {
                respond(exchange, 401, Map.of("title", "Unauthorized"));
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 404, Map.of("title", "Not Found"));
            } else if (path.equals(authorizationPath(CREDENTIAL_ID))) {
                respond(exchange, 200, sandboxAuthorization());
            } else if (path.equals(authorizationPath(SERVER_CREDENTIAL_ID))) {
                respond(exchange, 200, serverAuthorization());
            } else if (path.equals(authorizationPath(SERVER_TLS_CREDENTIAL_ID))) {
                respond(exchange, 200, serverOverTlsAuthorization(true));
            } else if (path.equals(authorizationPath(SERVER_UNTRUSTED_CREDENTIAL_ID))) {
                respond(exchange, 200, serverOverTlsAuthorization(false));
            } else {
                respond(exchange, 404, Map.of("title", "Not Found"));
            }
        }
    }

    private static String authorizationPath(String credentialId) {
        return InternalCredentialApi.ROOT + InternalCredentialApi.AUTHORIZATION.replace("{id}", credentialId);
    }

    private void registerWebhook(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().substring(WEBHOOKS.length()).split("/");
            if (!hasRole(exchange, "admin")) {
                respond(exchange, 403, Map.of("title", "Forbidden"));
            } else if (!"PUT".equals(exchange.getRequestMethod()) || parts.length != 4 || !"webhooks".equals(parts[1])) {
                respond(exchange, 404, Map.of("title", "Not Found"));
            } else {
                registrations.add(parts[0] + " " + parts[2] + "/" + parts[3]);
                respond(exchange, 200, Map.of("owner", parts[2], "repo", parts[3], "outcome", "CREATED"));
            }
        }
    }

    /** A bearer JWT signed with the test key (checked by smallrye-jwt's parser) whose groups hold {@code role}. */
    private static boolean hasRole(HttpExchange exchange, String role) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        try {
            JsonWebToken token = new DefaultJWTParser().verify(authorization.substring(7), SharedTestInfra.get().keys().getPublic());
            return token.getGroups().contains(role);
        } catch (ParseException e) {
            return false;
        }
    }

    /** Answers {@code body} as JSON, written by the events' mapper as the services write theirs. */
    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json = EventJson.mapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }
}
