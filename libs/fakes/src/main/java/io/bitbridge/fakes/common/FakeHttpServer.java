package io.bitbridge.fakes.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * An in-process HTTP server (JDK {@code com.sun.net.httpserver}) hosting one fake on 127.0.0.1.
 *
 * <p>Every request outside {@code /_sandbox/} is recorded and may be hit by an armed {@link Fault}. Built-in
 * inspection endpoints: {@code GET|DELETE /_sandbox/requests} and {@code GET|POST|DELETE /_sandbox/faults}
 * (POST body: see {@link Fault#fromJson}); a fake adds its own with {@link Builder#sandbox}. Request bodies sent
 * with {@code Content-Encoding: gzip} (git clients do) are inflated before the handler sees them.
 */
public final class FakeHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FakeHttpServer.class.getName());
    public static final String SANDBOX_PREFIX = "/_sandbox/";

    private final String name;
    private final FakeHandler handler;
    private final Map<String, FakeHandler> sandboxRoutes;
    private final IntFunction<FakeResponse> faultResponse;
    private final FaultInjector faults = new FaultInjector();
    private final RequestRecorder recorder = new RequestRecorder();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final HttpServer server;
    private final ExecutorService executor;

    static {
        // The JDK's server writes a response's headers and body as two segments: with Nagle's algorithm on, the body
        // waits for the client's delayed ACK, 40 ms a request, which no real Bitbucket or Jenkins (Jetty) adds. Read
        // once, when the JVM's first HttpServer is made; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private FakeHttpServer(Builder builder) throws IOException {
        this.name = builder.name;
        this.handler = builder.handler;
        this.sandboxRoutes = Map.copyOf(builder.sandboxRoutes);
        this.faultResponse = builder.faultResponse;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 64);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name + "-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
    }

    public static Builder builder(String name, FakeHandler handler) {
        return new Builder(name, handler);
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} without a trailing slash. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public FaultInjector faults() {
        return faults;
    }

    public RequestRecorder requests() {
        return recorder;
    }

    /** Stops at once: hanging fault calls are released and their connections dropped. */
    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void exchange(HttpExchange exchange) {
        try (exchange) {
            FakeRequest request = read(exchange);
            if (request.rawPath().startsWith(SANDBOX_PREFIX)) {
                send(exchange, sandbox(request));
                return;
            }
            Optional<Fault> fault = faults.take(request.rawPath());
            if (fault.isPresent() && applyFault(fault.get(), request, exchange)) {
                return;
            }
            FakeResponse response = safely(handler, request);
            if (fault.isPresent() && fault.get().kind() == Fault.Kind.LOST_RESPONSE) {
                // Done, but the answer is lost: the recorded status is -1 as for every call that got no answer.
                recorder.record(new RecordedRequest(request, -1, fault.get()));
                pause(fault.get().delay().toMillis());
                return;
            }
            recorder.record(new RecordedRequest(request, response.status(), fault.orElse(null)));
            send(exchange, response);
        } catch (IOException clientWentAway) {
            LOG.log(Level.FINE, name + ": client went away", clientWentAway);
        }
    }

    /** Returns true when the fault replaced the response. */
    private boolean applyFault(Fault fault, FakeRequest request, HttpExchange exchange) throws IOException {
        switch (fault.kind()) {
            case LATENCY -> {
                pause(fault.delay().toMillis());
                return false;
            }
            case STATUS -> {
                FakeResponse response = faultResponse.apply(fault.status());
                recorder.record(new RecordedRequest(request, response.status(), fault));
                send(exchange, response);
                return true;
            }
            case RESET -> {
                recorder.record(new RecordedRequest(request, -1, fault));
                return true; // closing an exchange before any response header drops the connection
            }
            case HANG -> {
                recorder.record(new RecordedRequest(request, -1, fault));
                pause(fault.delay().toMillis());
                return true;
            }
            case LOST_RESPONSE -> {
                return false; // the handler runs; exchange() then withholds its answer
            }
            default -> throw new IllegalStateException("unknown fault " + fault.kind());
        }
    }

    private void pause(long millis) {
        try {
            stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private FakeResponse sandbox(FakeRequest request) {
        String route = request.rawPath().substring(SANDBOX_PREFIX.length());
        int slash = route.indexOf('/');
        String head = slash < 0 ? route : route.substring(0, slash);
        try {
            return switch (head) {
                case "" -> sandboxIndex();
                case "requests" -> requestsEndpoint(request);
                case "faults" -> faultsEndpoint(request);
                default -> {
                    FakeHandler custom = sandboxRoutes.get(head);
                    yield custom == null ? FakeResponse.text(404, "no sandbox endpoint " + request.rawPath())
                            : safely(custom, request);
                }
            };
        } catch (IllegalArgumentException | java.io.UncheckedIOException badInput) {
            return FakeResponse.text(400, badInput.getMessage());
        }
    }

    /** {@code GET /_sandbox/}: what a newcomer can call here, so the root is not a dead end. */
    private FakeResponse sandboxIndex() {
        var list = FakeJson.array();
        list.add(SANDBOX_PREFIX + "requests");
        list.add(SANDBOX_PREFIX + "faults");
        new java.util.TreeSet<>(sandboxRoutes.keySet()).forEach(route -> list.add(SANDBOX_PREFIX + route));
        return FakeResponse.json(200, FakeJson.object().set("endpoints", list));
    }

    private FakeResponse requestsEndpoint(FakeRequest request) {
        return switch (request.method()) {
            case "GET" -> {
                var list = FakeJson.array();
                recorder.all().forEach(r -> list.add(r.toJson()));
                yield FakeResponse.json(200, list);
            }
            case "DELETE" -> {
                recorder.clear();
                yield FakeResponse.empty(204);
            }
            default -> FakeResponse.text(405, "GET or DELETE");
        };
    }

    private FakeResponse faultsEndpoint(FakeRequest request) {
        return switch (request.method()) {
            case "GET" -> {
                var list = FakeJson.array();
                faults.armed().forEach(f -> list.add(f.toJson()));
                yield FakeResponse.json(200, list);
            }
            case "POST" -> {
                Fault fault = Fault.fromJson(request.json());
                faults.arm(fault);
                yield FakeResponse.json(201, fault.toJson());
            }
            case "DELETE" -> {
                faults.clear();
                yield FakeResponse.empty(204);
            }
            default -> FakeResponse.text(405, "GET, POST or DELETE");
        };
    }

    /** Bad input (unparsable JSON, unknown names) is a 400; anything else a logged 500. */
    private FakeResponse safely(FakeHandler target, FakeRequest request) {
        try {
            return target.handle(request);
        } catch (IllegalArgumentException | java.io.UncheckedIOException badInput) {
            return FakeResponse.text(400, String.valueOf(badInput.getMessage()));
        } catch (Exception | AssertionError e) {
            LOG.log(Level.WARNING, name + ": handler failed on " + request.method() + " " + request.rawPath(), e);
            return FakeResponse.text(500, name + " failed: " + e.getClass().getSimpleName());
        }
    }

    private static FakeRequest read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip") && body.length > 0) {
            try (InputStream gunzip = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = gunzip.readAllBytes();
            }
        }
        URI uri = exchange.getRequestURI();
        return new FakeRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
    }

    private static void send(HttpExchange exchange, FakeResponse response) throws IOException {
        response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
        boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD")
                || response.status() == 204 || response.status() == 304;
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    /** Configures and starts a {@link FakeHttpServer}. */
    public static final class Builder {
        private final String name;
        private final FakeHandler handler;
        private final Map<String, FakeHandler> sandboxRoutes = new LinkedHashMap<>();
        private int port;
        private IntFunction<FakeResponse> faultResponse = status -> FakeResponse.text(status, "Injected fault " + status);

        private Builder(String name, FakeHandler handler) {
            this.name = name;
            this.handler = handler;
        }

        /** A fixed port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Adds {@code /_sandbox/<name>[/...]}; calls there are neither recorded nor faulted. */
        public Builder sandbox(String routeName, FakeHandler route) {
            if (routeName.equals("requests") || routeName.equals("faults")) {
                throw new IllegalArgumentException("built-in sandbox route: " + routeName);
            }
            sandboxRoutes.put(routeName, route);
            return this;
        }

        /** How the product answers an injected status fault (e.g. its own 429 body). */
        public Builder faultResponse(IntFunction<FakeResponse> response) {
            this.faultResponse = response;
            return this;
        }

        public FakeHttpServer start() {
            try {
                return new FakeHttpServer(this);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(name + ": cannot listen on port " + port, e);
            }
        }
    }
}
