package io.bitbridge.fakes.common;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One HTTP attempt of a webhook delivery.
 *
 * @param delivery the delivery
 * @param attempt  1-based
 * @param headers  the headers actually sent
 * @param status   the receiver's status, or -1 for a timeout / network error
 * @param error    the network error, or null
 * @param sentAt   when the attempt started
 * @param answeredAt when the answer (or the error) came
 */
public record DeliveryAttempt(WebhookDelivery delivery, int attempt, Map<String, String> headers, int status,
                              String error, Instant sentAt, Instant answeredAt) {
    public String bodyText() {
        return new String(delivery.body(), StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    public ObjectNode toJson() {
        ObjectNode node = FakeJson.object()
                .put("hook", delivery.hookId())
                .put("event", delivery.eventKey())
                .put("url", delivery.url().toString())
                .put("attempt", attempt)
                .put("status", status)
                .put("error", error)
                .put("sent_at", sentAt.toString())
                .put("answered_at", answeredAt.toString());
        ObjectNode sent = node.putObject("headers");
        headers.forEach(sent::put);
        node.put("body", bodyText());
        return node;
    }
}
