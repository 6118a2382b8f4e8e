package io.bitbridge.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bitbridge.common.rest.Problem;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.gateway.config.GatewayConfig;
import io.bitbridge.gateway.service.GatewayMetrics;
import io.bitbridge.gateway.service.Verdict;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a webhook body on the event loop, before {@link WebhookResource} runs: no thread waits for a slow sender, and
 * the whole body must arrive within {@code bitbridge.gateway.body-read-timeout}, or the sender gets 408 and the
 * connection is closed. A body declared over {@code max-body-bytes} is not read at all, and a streamed one is no
 * longer kept once it passes the limit; the intake answers both with 413. The resource finds what was read with
 * {@link #bodyOf(RoutingContext)}.
 */
@ApplicationScoped
public class WebhookBodyReader {
    private static final String BODY = WebhookBodyReader.class.getName() + ".body";
    private static final String TOO_LARGE = WebhookBodyReader.class.getName() + ".too-large";

    private final Vertx vertx;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final String timeoutAnswer;

    private static final Duration LONGEST_BODY_READ = Duration.ofSeconds(10);

    WebhookBodyReader(Vertx vertx, GatewayConfig config, GatewayMetrics metrics) throws JsonProcessingException {
        if (config.bodyReadTimeout().isNegative() || config.bodyReadTimeout().isZero()
                || config.bodyReadTimeout().compareTo(LONGEST_BODY_READ) > 0) {
            // Bitbucket gives up after 10 s: a longer wait would only hold a slow sender's connection for nothing.
            throw new IllegalArgumentException("bitbridge.gateway.body-read-timeout must be more than 0 and at most 10s");
        }
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.timeoutAnswer = EventJson.mapper().writeValueAsString(Problem.of(Verdict.BODY_TIMEOUT.problemSlug(),
                Verdict.BODY_TIMEOUT.problemTitle(), Verdict.BODY_TIMEOUT.status(),
                "The body did not arrive within " + config.bodyReadTimeout().toMillis() + " ms."));
    }

    /**
     * What was read of the request's body: the bytes, or null when it was over the limit (declared or streamed). The
     * body of a request this reader did not see (none: every webhook route passes it) is empty.
     */
    public static byte[] bodyOf(RoutingContext context) {
        if (Boolean.TRUE.equals(context.get(TOO_LARGE))) {
            return null;
        }
        byte[] body = context.get(BODY);
        return body == null ? new byte[0] : body;
    }

    /** Runs before RESTEasy Reactive's handler (order: before the default), on the webhook routes only. */
    void install(@Observes Router router) {
        for (Provider provider : Provider.values()) {
            router.post("/webhooks/" + provider.slug() + "/:credentialId").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                    .handler(context -> read(context, provider));
        }
    }

    private void read(RoutingContext context, Provider provider) {
        HttpServerRequest request = context.request();
        long declared = declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        int max = config.maxBodyBytes();
        if (request.isEnded() || declared > max) {
            // Nothing to wait for, or a body the intake refuses by its declared size without reading it.
            context.put(TOO_LARGE, declared > max);
            context.next();
            return;
        }
        long started = System.nanoTime();
        Buffer body = Buffer.buffer(declared >= 0 ? (int) declared : 4096);
        BodyState state = new BodyState();
        state.timer = vertx.setTimer(config.bodyReadTimeout().toMillis(), ignored -> {
            if (!state.ended) {
                tooSlow(context, provider, state, started);
            }
        });
        request.handler(chunk -> {
            if (state.passedOn) {
                return; // over the limit and already answered: the rest is dropped
            }
            if (body.length() + chunk.length() > max) {
                state.passedOn = true;
                context.put(TOO_LARGE, true);
                context.next();
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> vertx.cancelTimer(state.timer));
        request.endHandler(ignored -> {
            state.ended = true;
            vertx.cancelTimer(state.timer);
            if (!state.passedOn && !state.timedOut) {
                state.passedOn = true;
                context.put(BODY, body.getBytes());
                context.next();
            }
        });
        request.resume();
    }

    /** 408 and the connection closed; counted like every other answer (no credential was looked up, so no log entry). */
    private void tooSlow(RoutingContext context, Provider provider, BodyState state, long started) {
        state.timedOut = true;
        if (state.passedOn || context.response().ended()) {
            context.request().connection().close();
            return;
        }
        state.passedOn = true;
        context.response().setStatusCode(Verdict.BODY_TIMEOUT.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(timeoutAnswer.getBytes(StandardCharsets.UTF_8)))
                .onComplete(ignored -> context.request().connection().close());
        metrics.delivery(provider, context.request().getHeader("X-Event-Key"), Verdict.BODY_TIMEOUT,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static long declaredLength(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One body read; touched only on the request's event loop. */
    private static final class BodyState {
        long timer;
        boolean ended;
        boolean passedOn;
        boolean timedOut;
    }
}
