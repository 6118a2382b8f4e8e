package io.bitbridge.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.events.EventJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcceptedBodyTest {

    @Test
    void deliveryIdsWithQuotesAndBackslashesStayValidJson() throws Exception {
        // Delivery ids are any printable ASCII, quotes and backslashes included.
        String id = "a\"b\\c{}";
        JsonNode body = EventJson.mapper().readTree(WebhookResource.acceptedBody("accepted", id));
        assertEquals("accepted", body.get("outcome").asText());
        assertEquals(id, body.get("deliveryId").asText());
        assertEquals(2, body.size());
    }

    @Test
    void aMissingDeliveryIdIsEmpty() throws Exception {
        assertEquals("", EventJson.mapper().readTree(WebhookResource.acceptedBody("ping", null)).get("deliveryId").asText());
    }
}
