package io.bitbridge.fakes.common;

import io.bitbridge.bitbucket.webhook.WebhookSignature;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers webhooks one after another per hook, on a thread of the hook's own (in the order the events happened;
 * different hooks do not wait for each other, as a product's delivery workers do not), signing each body
 * with HMAC-SHA256 when the hook has a secret, retrying per {@link RetryPolicy}, and recording every attempt.
 */
public final class WebhookSender implements AutoCloseable {
    private final RetryPolicy policy;
    private final HttpClient client;
    private final String name;
    private final Map<String, ExecutorService> lanes = new ConcurrentHashMap<>();
    /** Appended under its own lock and copied to read (see RequestRecorder); deliveries not yet final in a set. */
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private final Set<CompletableFuture<List<DeliveryAttempt>>> pending = ConcurrentHashMap.newKeySet();

    public WebhookSender(String name, RetryPolicy policy) {
        this.policy = policy;
        this.name = name;
        this.client = HttpClient.newBuilder().connectTimeout(policy.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Queues the delivery; the future completes with its attempts once it is final. */
    public CompletableFuture<List<DeliveryAttempt>> send(WebhookDelivery delivery) {
        CompletableFuture<List<DeliveryAttempt>> future = CompletableFuture.supplyAsync(() -> deliver(delivery), lane(delivery));
        pending.add(future);
        future.whenComplete((done, failure) -> pending.remove(future));
        return future;
    }

    /**
     * Sends every delivery made so far once more, as a person clicking "Resend request" in the product's request log
     * does: the same body, headers and secret, the attempt number counting on.
     */
    public void resendAll() {
        java.util.Set<WebhookDelivery> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (DeliveryAttempt earlier : attempts()) {
            if (seen.add(earlier.delivery())) {
                WebhookDelivery delivery = earlier.delivery();
                CompletableFuture<List<DeliveryAttempt>> future = CompletableFuture.supplyAsync(() -> {
                    int made = (int) attempts().stream().filter(a -> a.delivery() == delivery).count();
                    DeliveryAttempt result = attempt(delivery, made + 1);
                    record(result);
                    return List.of(result);
                }, lane(delivery));
                pending.add(future);
                future.whenComplete((done, failure) -> pending.remove(future));
            }
        }
    }

    /** Waits until every delivery queued so far is final (all its attempts made). */
    public void awaitIdle(Duration timeout) {
        List<CompletableFuture<List<DeliveryAttempt>>> waiting = List.copyOf(pending);
        try {
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for webhook deliveries", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("webhook deliveries did not finish within " + timeout, e);
        }
    }

    /**
     * {@code GET}: every attempt as JSON; {@code POST}: resend every delivery ({@link #resendAll()}); {@code DELETE}:
     * forget them (for a {@code /_sandbox/deliveries} route).
     */
    public FakeHandler sandboxEndpoint() {
        return request -> switch (request.method()) {
            case "GET" -> {
                var list = FakeJson.array();
                attempts().forEach(a -> list.add(a.toJson()));
                yield FakeResponse.json(200, list);
            }
            case "POST" -> {
                resendAll();
                yield FakeResponse.empty(202);
            }
            case "DELETE" -> {
                clear();
                yield FakeResponse.empty(204);
            }
            default -> FakeResponse.text(405, "GET, POST or DELETE");
        };
    }

    /** Every attempt so far, oldest first. */
    public List<DeliveryAttempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    public void clear() {
        synchronized (attempts) {
            attempts.clear();
        }
    }

    private void record(DeliveryAttempt attempt) {
        synchronized (attempts) {
            attempts.add(attempt);
        }
    }

    private List<DeliveryAttempt> deliver(WebhookDelivery delivery) {
        List<DeliveryAttempt> mine = new ArrayList<>();
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (attempt > 1 && !policy.delay().isZero()) {
                try {
                    Thread.sleep(policy.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return mine;
                }
            }
            DeliveryAttempt result = attempt(delivery, attempt);
            record(result);
            mine.add(result);
            boolean retry = result.status() < 0 ? policy.retryNetworkErrors()
                    : policy.retryableStatus().test(result.status());
            if (!retry) {
                break;
            }
        }
        return mine;
    }

    private DeliveryAttempt attempt(WebhookDelivery delivery, int attempt) {
        Map<String, String> headers = new LinkedHashMap<>(delivery.headers());
        if (policy.attemptHeader() != null) {
            headers.put(policy.attemptHeader(), Integer.toString(attempt));
        }
        if (delivery.secret() != null && !delivery.secret().isEmpty()) {
            headers.put(WebhookSignature.HEADER, WebhookSignature.sign(delivery.secret(), delivery.body()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(delivery.url()).timeout(policy.timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        headers.forEach(request::header);
        Instant sentAt = Instant.now();
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new DeliveryAttempt(delivery, attempt, headers, response.statusCode(), null, sentAt, Instant.now());
        } catch (IOException e) {
            return new DeliveryAttempt(delivery, attempt, headers, -1, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), sentAt, Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryAttempt(delivery, attempt, headers, -1, "interrupted", sentAt, Instant.now());
        }
    }

    private ExecutorService lane(WebhookDelivery delivery) {
        return lanes.computeIfAbsent(String.valueOf(delivery.hookId()), hook -> Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-webhooks-" + hook);
            thread.setDaemon(true);
            return thread;
        }));
    }

    @Override
    public void close() {
        lanes.values().forEach(ExecutorService::shutdownNow);
        try {
            for (ExecutorService lane : lanes.values()) {
                lane.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
