package io.bitbridge.gateway.service;

import io.bitbridge.events.Provider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deliveries by provider, event key and outcome ({@code bitbridge_gateway_deliveries_total}), the end-to-end
 * handling latency ({@code bitbridge_gateway_handling_seconds}) and Kafka publish latency
 * ({@code bitbridge_gateway_publish_seconds}), all as histograms Prometheus can take quantiles from.
 * Meters are looked up once per label set and kept (the label sets are few: event keys outside the known
 * ones share the label "other"), so counting a delivery allocates nothing.
 */
@ApplicationScoped
public class GatewayMetrics {
    private final MeterRegistry registry;
    private final Map<DeliveryLabels, DeliveryMeters> deliveryMeters = new ConcurrentHashMap<>();
    private final Map<PublishLabels, Timer> publishTimers = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void delivery(Provider provider, String eventKey, Verdict verdict, Duration handling) {
        DeliveryMeters meters = deliveryMeters.computeIfAbsent(
                new DeliveryLabels(provider, EventKeys.metricLabel(eventKey), verdict), this::deliveryMeters);
        meters.count().increment();
        meters.handling().record(handling);
    }

    public void publish(String topicBase, boolean acknowledged, Duration took) {
        publishTimers.computeIfAbsent(new PublishLabels(topicBase, acknowledged), this::publishTimer).record(took);
    }

    private DeliveryMeters deliveryMeters(DeliveryLabels labels) {
        Counter count = Counter.builder("bitbridge.gateway.deliveries")
                .description("Webhook deliveries by provider, event key and outcome")
                .tag("provider", labels.provider().slug())
                .tag("event_key", labels.eventKey())
                .tag("outcome", labels.verdict().label())
                .register(registry);
        Timer handling = Timer.builder("bitbridge.gateway.handling")
                .description("Time from request to answer, per outcome")
                .tag("provider", labels.provider().slug())
                .tag("outcome", labels.verdict().label())
                .publishPercentileHistogram()
                .register(registry);
        return new DeliveryMeters(count, handling);
    }

    private Timer publishTimer(PublishLabels labels) {
        return Timer.builder("bitbridge.gateway.publish")
                .description("Time until Kafka acknowledged (or refused) an event")
                .tag("topic", labels.topicBase())
                .tag("result", labels.acknowledged() ? "acknowledged" : "failed")
                .publishPercentileHistogram()
                .register(registry);
    }

    private record DeliveryLabels(Provider provider, String eventKey, Verdict verdict) {
    }

    private record DeliveryMeters(Counter count, Timer handling) {
    }

    private record PublishLabels(String topicBase, boolean acknowledged) {
    }
}
