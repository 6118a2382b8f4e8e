package io.bitbridge.bitbucket.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.events.Provider;

/**
 * Turns one product's webhook body into the neutral events of libs/events. One implementation per
 * Bitbucket product ({@link CloudPayloadMapper}, {@link ServerPayloadMapper}).
 */
public interface PayloadMapper {

    Provider provider();

    /**
     * @param body the parsed JSON object of a delivery whose key {@link io.bitbridge.bitbucket.WebhookEventKeys#published} accepts
     * @throws PayloadInvalidException when the body lacks what the event key requires
     */
    NormalisedEvent map(DeliveryContext delivery, JsonNode body);
}
