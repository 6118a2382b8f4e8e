package io.bitbridge.gateway.service;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.webhook.CloudPayloadMapper;
import io.bitbridge.bitbucket.webhook.DeliveryContext;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.bitbucket.webhook.NormalisedEvent;
import io.bitbridge.bitbucket.webhook.PayloadInvalidException;
import io.bitbridge.bitbucket.webhook.PayloadMapper;
import io.bitbridge.bitbucket.webhook.ServerPayloadMapper;
import io.bitbridge.bitbucket.webhook.WebhookEventId;
import io.bitbridge.common.messaging.EventPublisher;
import io.bitbridge.common.messaging.PublishFailedException;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.events.CloudEventHeaders;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The gateway's one job, in order: cheap checks (media type, size: the body was read on the event loop by
 * {@link io.bitbridge.gateway.rest.WebhookBodyReader}, up to the limit), the credential's secrets, parsing (the body names the repository whose hook secret signs it),
 * authentication (signature, or the opt-in token), the event filter, normalisation, publication. Every delivery ends in exactly one {@link Verdict},
 * counted in metrics and, once the credential is known, written to the deliveries log.
 */
@ApplicationScoped
public class WebhookIntake {
    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);
    /** Credential ids are UUIDs in their canonical form; anything else cannot exist and never reaches credential-service. */
    private static final Pattern CREDENTIAL_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DELIVERY_ID = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final Pattern ATTEMPT = Pattern.compile("\\s*\\d{1,6}\\s*");

    private final GatewayConfig config;
    private final WebhookSecretsCache secrets;
    private final EventPublisher publisher;
    private final GatewayMetrics metrics;
    private final DeliveryLog deliveryLog;
    private final CloudPayloadMapper cloud;
    private final ServerPayloadMapper server;

    WebhookIntake(GatewayConfig config, WebhookSecretsCache secrets, EventPublisher publisher, GatewayMetrics metrics,
                  DeliveryLog deliveryLog) {
        this.config = config;
        this.secrets = secrets;
        this.publisher = publisher;
        this.metrics = metrics;
        this.deliveryLog = deliveryLog;
        this.cloud = new CloudPayloadMapper();
        this.server = new ServerPayloadMapper();
    }

    /**
     * Answers one delivery. The stage is already complete for everything decided without Kafka; a published
     * event completes it when Kafka acknowledges, so no request thread is parked while the broker works.
     */
    public CompletionStage<IntakeResult> handle(WebhookRequest request) {
        long started = System.nanoTime();
        Instant receivedAt = Instant.now();
        // One deadline for the whole answer: a slow secrets lookup leaves Kafka less time, never more than Bitbucket waits.
        Attempt attempt = new Attempt(request, receivedAt, started + config.answerWithin().toNanos());
        CompletionStage<IntakeResult> outcome;
        try {
            outcome = process(attempt);
        } catch (Refusal refusal) {
            outcome = CompletableFuture.completedFuture(new IntakeResult(refusal.verdict, refusal.getMessage(), attempt.deliveryId));
        }
        return outcome.thenApply(result -> {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.delivery(request.provider(), request.eventKey(), result.verdict(), took);
            if (attempt.credentialKnown) {
                deliveryLog.record(attempt.context(), result.verdict(), took);
            }
            return result;
        });
    }

    private CompletionStage<IntakeResult> process(Attempt attempt) {
        WebhookRequest request = attempt.request;
        if (!isJson(request.contentType())) {
            throw new Refusal(Verdict.UNSUPPORTED_MEDIA_TYPE, "Webhook bodies must be application/json.");
        }
        byte[] body = request.body();
        if (body == null) {
            throw new Refusal(Verdict.TOO_LARGE, "The body exceeds the gateway's limit.");
        }
        WebhookSecrets credential = secretsOf(request.credentialId());
        attempt.credentialKnown = true;
        attempt.serverHost = credential.serverHost();
        if (credential.provider() != request.provider()) {
            // A Cloud credential's URL used for Server deliveries (or the reverse) is a misconfigured hook.
            throw new Refusal(Verdict.UNKNOWN_CREDENTIAL, "No " + request.provider().slug() + " webhook is registered under this credential.");
        }
        attempt.body = body;
        if (attempt.deliveryId == null) {
            attempt.deliveryId = attempt.eventId();
        }
        String eventKey = request.eventKey();
        if (EventKeys.isPing(request.provider(), eventKey)) {
            // Bitbucket Server's "Test connection": it names no repository, so no hook secret can be told for it, and it
            // is answered and never published, signed or not.
            return CompletableFuture.completedFuture(new IntakeResult(Verdict.PING, "pong", attempt.deliveryId));
        }
        JsonNode json = parse(body);
        PayloadMapper mapper = mapperOf(request.provider());
        authenticate(request, credential, body, mapper.hookScopes(json), attempt.receivedAt);
        if (eventKey == null || eventKey.isBlank()) {
            throw new Refusal(Verdict.MISSING_EVENT_KEY, "The X-Event-Key header is required.");
        }
        if (!EventKeys.published(request.provider(), eventKey)) {
            return CompletableFuture.completedFuture(
                    new IntakeResult(Verdict.IGNORED, "Event key " + eventKey + " is not published.", attempt.deliveryId));
        }
        NormalisedEvent event = normalise(mapper, attempt.context(), json);
        return publish(event, attempt);
    }

    private WebhookSecrets secretsOf(String credentialId) {
        if (credentialId == null || !CREDENTIAL_ID.matcher(credentialId).matches()) {
            throw new Refusal(Verdict.UNKNOWN_CREDENTIAL, "No webhook is registered under this credential.");
        }
        Optional<WebhookSecrets> found;
        try {
            found = secrets.lookup(UUID.fromString(credentialId));
        } catch (SecretsUnavailableException e) {
            // Down, slow, circuit open, or too many misses at once: nothing usable is cached, so the sender must come back later.
            LOG.warnf("webhook secrets for credential %s unavailable: %s", credentialId, e.getMessage());
            throw new Refusal(Verdict.CREDENTIALS_UNAVAILABLE, "The credential's webhook secrets cannot be read right now.");
        }
        return found.orElseThrow(() -> new Refusal(Verdict.UNKNOWN_CREDENTIAL, "No webhook is registered under this credential."));
    }

    /**
     * A valid sha256 signature under the secret of the hook the body's repository (or its owner) has, derived from the
     * credential's current root secret or, during a rotation overlap, the previous one; or, only where an admin
     * allowed it, no signature and a {@code token} equal to such a hook's URL token. A secret of one repository's hook
     * therefore signs nothing for another. One answer for every failure, so a prober learns nothing about which part
     * was wrong.
     */
    private void authenticate(WebhookRequest request, WebhookSecrets credential, byte[] body, List<HookScope> scopes, Instant now) {
        List<String> roots = credential.acceptedRootsAt(now);
        boolean signed = request.signature() != null;
        if (!signed && !credential.acceptUnsignedWithToken()) {
            throw unauthenticated();
        }
        List<String> accepted = new ArrayList<>(roots.size() * scopes.size());
        for (String root : roots) {
            for (HookScope scope : scopes) {
                accepted.add(signed ? scope.secret(root) : scope.urlToken(root));
            }
        }
        boolean authentic = signed
                ? SignatureVerifier.signatureMatches(request.signature(), body, accepted)
                : SignatureVerifier.tokenMatches(request.token(), accepted);
        if (!authentic) {
            throw unauthenticated();
        }
    }

    private static Refusal unauthenticated() {
        return new Refusal(Verdict.UNAUTHENTICATED, "The delivery is not signed with this webhook's secret.");
    }

    private PayloadMapper mapperOf(Provider provider) {
        return provider == Provider.BITBUCKET_CLOUD ? cloud : server;
    }

    private JsonNode parse(byte[] body) {
        JsonNode json;
        try {
            json = EventJson.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new Refusal(Verdict.MALFORMED_JSON, "The body is not valid JSON.");
        } catch (IOException e) {
            throw new Refusal(Verdict.MALFORMED_JSON, "The body could not be read as JSON.");
        }
        if (json == null || json.isMissingNode()) {
            throw new Refusal(Verdict.MALFORMED_JSON, "The body is empty.");
        }
        if (!json.isObject()) {
            throw new Refusal(Verdict.INVALID_PAYLOAD, "The body must be a JSON object.");
        }
        return json;
    }

    private NormalisedEvent normalise(PayloadMapper mapper, DeliveryContext context, JsonNode json) {
        try {
            return mapper.map(context, json);
        } catch (PayloadInvalidException e) {
            throw new Refusal(Verdict.INVALID_PAYLOAD, e.getMessage());
        } catch (RuntimeException e) {
            // A shape no mapper rule foresaw: refuse it plainly instead of answering 500 (Bitbucket would retry it).
            LOG.errorf("could not normalise %s delivery %s: %s", context.eventKey(), context.deliveryId(), e.getClass().getName());
            throw new Refusal(Verdict.INVALID_PAYLOAD, "The body does not have the structure " + context.eventKey() + " requires.");
        }
    }

    /** Accepted once Kafka acknowledged; answered 503 when it refused or did not answer in time. */
    private CompletionStage<IntakeResult> publish(NormalisedEvent event, Attempt attempt) {
        // The event's id is its content, not Bitbucket's delivery id: a captured body replayed under a fresh X-Request-UUID
        // is then the same event as the original, and consumers of the gateway's topics act on it once.
        CloudEventHeaders headers = CloudEventHeaders.of(attempt.eventId(), event.type(),
                "/webhooks/" + attempt.request.provider().slug() + "/" + attempt.request.credentialId(), attempt.receivedAt);
        long started = System.nanoTime();
        CompletionStage<Void> acknowledged = publisher.publish(event.type(), event.recordKey(), headers, event.event(),
                attempt.answerDeadlineNanos);
        return acknowledged.handle((ignored, failure) -> {
            metrics.publish(event.type().topic(), failure == null, Duration.ofNanos(System.nanoTime() - started));
            if (failure == null) {
                return new IntakeResult(Verdict.ACCEPTED, "published", attempt.deliveryId);
            }
            LOG.warnf("delivery %s not published: %s", attempt.deliveryId, describe(failure));
            return new IntakeResult(Verdict.KAFKA_UNAVAILABLE, "The event could not be stored; retry later.", attempt.deliveryId);
        });
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "no acknowledgement from Kafka before the delivery's deadline (at most "
                    + publisher.deliveryTimeout().toMillis() + " ms of publishing)";
        }
        return cause instanceof PublishFailedException ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** {@code application/json}, with any parameters ({@code charset=UTF-8} included); JSON is always UTF-8. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
            return true; // what Bitbucket sends: no need to parse it
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            String charset = type.getParameters().get("charset");
            return "application".equalsIgnoreCase(type.getType()) && "json".equalsIgnoreCase(type.getSubtype())
                    && (charset == null || "utf-8".equalsIgnoreCase(charset.replace("\"", "")));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int attemptNumber(String header) {
        if (header == null || !ATTEMPT.matcher(header).matches()) {
            return 1;
        }
        return Math.max(1, Integer.parseInt(header.trim()));
    }

    /** The state of one delivery while it is processed. */
    private static final class Attempt {
        final WebhookRequest request;
        final Instant receivedAt;
        final int attemptNumber;
        final long answerDeadlineNanos;
        /** Bitbucket's delivery id ({@code X-Request-UUID} / {@code X-Request-Id}) for the deliveries log; the event id without one. */
        String deliveryId;
        byte[] body;
        private String eventId;
        boolean credentialKnown;
        String serverHost;

        Attempt(WebhookRequest request, Instant receivedAt, long answerDeadlineNanos) {
            this.request = request;
            this.receivedAt = receivedAt;
            this.answerDeadlineNanos = answerDeadlineNanos;
            this.attemptNumber = attemptNumber(request.attemptNumber());
            this.deliveryId = request.deliveryId() != null && DELIVERY_ID.matcher(request.deliveryId()).matches()
                    ? request.deliveryId() : null;
        }

        /** The body's digest: computed once, and only for what needs it (a published event, a sender without a delivery id). */
        String eventId() {
            if (eventId == null) {
                eventId = WebhookEventId.of(request.credentialId(), request.eventKey(), body);
            }
            return eventId;
        }

        DeliveryContext context() {
            return new DeliveryContext(request.provider(), request.credentialId(), request.eventKey(), deliveryId, attemptNumber,
                    receivedAt, serverHost);
        }
    }

    /** Ends processing with a refusal verdict. */
    private static final class Refusal extends RuntimeException {
        final Verdict verdict;

        Refusal(Verdict verdict, String detail) {
            super(detail, null, false, false);
            this.verdict = verdict;
        }
    }
}
