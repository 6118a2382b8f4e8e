package io.bitbridge.gateway.service;

import java.util.Locale;

/**
 * What became of one delivery: its HTTP status, the outcome label used in metrics and the deliveries log,
 * and for refusals the stable problem type ({@code https://bitbridge.io/problems/<slug>}).
 */
public enum Verdict {
    ACCEPTED(202, null, null),
    IGNORED(202, null, null),
    PING(200, null, null),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    TOO_LARGE(413, "payload-too-large", "Payload too large"),
    BODY_TIMEOUT(408, "request-timeout", "Body not received in time"),
    UNKNOWN_CREDENTIAL(404, "unknown-credential", "Unknown credential"),
    UNAUTHENTICATED(401, "webhook-unauthenticated", "Delivery not authenticated"),
    MISSING_EVENT_KEY(400, "missing-event-key", "Missing X-Event-Key"),
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON"),
    INVALID_PAYLOAD(422, "invalid-payload", "Payload lacks required fields"),
    CREDENTIALS_UNAVAILABLE(503, "credential-service-unavailable", "Webhook secrets unavailable"),
    KAFKA_UNAVAILABLE(503, "kafka-unavailable", "Event store unavailable");

    private final int status;
    private final String problemSlug;
    private final String problemTitle;

    Verdict(int status, String problemSlug, String problemTitle) {
        this.status = status;
        this.problemSlug = problemSlug;
        this.problemTitle = problemTitle;
    }

    public int status() {
        return status;
    }

    public boolean refused() {
        return problemSlug != null;
    }

    public String problemSlug() {
        return problemSlug;
    }

    public String problemTitle() {
        return problemTitle;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
