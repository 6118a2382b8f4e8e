package io.bitbridge.bitbucket.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.events.Provider;

import java.util.List;

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

    /**
     * The hook scopes a delivery may be signed for: the scope of the repository the body names, then its owner's
     * ({@link HookScope#candidates}); empty when the body names no repository (nothing of it could be published).
     */
    List<HookScope> hookScopes(JsonNode body);
}
