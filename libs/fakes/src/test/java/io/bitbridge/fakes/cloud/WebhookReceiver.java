package io.bitbridge.fakes.cloud;

import io.bitbridge.fakes.common.FakeHttpServer;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;

import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/** A webhook receiver for tests: answers scripted statuses per path (200 once the script runs out). */
final class WebhookReceiver implements AutoCloseable {
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch gate;
    private final FakeHttpServer server = FakeHttpServer.builder("receiver", this::answer).start();

    WebhookReceiver() {
        this(new java.util.concurrent.CountDownLatch(0));
    }

    /** A receiver that answers nothing until the gate opens (a slow receiver). */
    WebhookReceiver(java.util.concurrent.CountDownLatch gate) {
        this.gate = gate;
    }

    /** The next answers for a path, in order. */
    WebhookReceiver script(String path, Integer... statuses) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(statuses));
        return this;
    }

    String url(String path) {
        return server.baseUri() + path;
    }

    List<FakeRequest> received(String path) {
        return server.requests().all().stream().map(r -> r.request()).filter(r -> r.rawPath().equals(path)).toList();
    }

    private FakeResponse answer(FakeRequest request) throws InterruptedException {
        gate.await(20, java.util.concurrent.TimeUnit.SECONDS);
        Deque<Integer> script = scripts.get(request.rawPath());
        Integer status = script == null ? null : script.poll();
        return FakeResponse.empty(status == null ? 200 : status);
    }

    @Override
    public void close() {
        server.close();
    }
}
