package io.bitbridge.gateway.service;

import io.bitbridge.events.Provider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Deliveries by provider, event key and outcome ({@code bitbridge_gateway_deliveries_total}), the end-to-end
 * handling latency ({@code bitbridge_gateway_handling_seconds}) and Kafka publish latency
 * ({@code bitbridge_gateway_publish_seconds}), all as histograms Prometheus can take quantiles from.
 */
@ApplicationScoped
public class GatewayMetrics {
    private final MeterRegistry registry;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void delivery(Provider provider, String eventKey, Verdict verdict, Duration handling) {
        Counter.builder("bitbridge.gateway.deliveries")
                .description("Webhook deliveries by provider, event key and outcome")
                .tag("provider", provider.slug())
                .tag("event_key", EventKeys.metricLabel(eventKey))
                .tag("outcome", verdict.label())
                .register(registry).increment();
        Timer.builder("bitbridge.gateway.handling")
                .description("Time from request to answer, per outcome")
                .tag("provider", provider.slug())
                .tag("outcome", verdict.label())
                .publishPercentileHistogram()
                .register(registry).record(handling);
    }

    public void publish(String topicBase, boolean acknowledged, Duration took) {
        Timer.builder("bitbridge.gateway.publish")
                .description("Time until Kafka acknowledged (or refused) an event")
                .tag("topic", topicBase)
                .tag("result", acknowledged ? "acknowledged" : "failed")
                .publishPercentileHistogram()
                .register(registry).record(took);
    }
}
