package io.bitbridge.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.bitbucket.webhook.CloudPayloadMapper;
import io.bitbridge.bitbucket.webhook.Dates;
import io.bitbridge.bitbucket.webhook.DeliveryContext;
import io.bitbridge.bitbucket.webhook.PayloadInvalidException;
import io.bitbridge.bitbucket.webhook.ServerPayloadMapper;
import io.bitbridge.events.EventJson;
import io.bitbridge.events.Provider;
import io.bitbridge.gateway.service.EventKeys;
import io.bitbridge.gateway.service.SignatureVerifier;
import io.bitbridge.gateway.support.Fixtures;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jqwik properties of the parts the intake is built from: signatures, dates and the two mappers. */
class IntakePropertiesTest {
    private static final List<Path> FIXTURES = Fixtures.all().toList();
    private static final CloudPayloadMapper CLOUD = new CloudPayloadMapper();
    private static final ServerPayloadMapper SERVER = new ServerPayloadMapper();

    @Property(tries = 300)
    void aBodySignedWithTheSecretVerifiesAndAnyOtherSecretDoesNot(@ForAll @Size(max = 4096) byte[] body,
                                                                  @ForAll @StringLength(min = 1, max = 128) String secret,
                                                                  @ForAll @StringLength(min = 1, max = 128) String other) {
        String signature = SignatureVerifier.sign(secret, body);
        assertTrue(SignatureVerifier.signatureMatches(signature, body, List.of(secret)));
        assertTrue(SignatureVerifier.signatureMatches(signature, body, List.of(other, secret)));
        Assume.that(!other.equals(secret));
        assertFalse(SignatureVerifier.signatureMatches(signature, body, List.of(other)));
    }

    @Property(tries = 300)
    void anyAlteredSignatureOrBodyIsRefused(@ForAll @Size(min = 1, max = 2048) byte[] body,
                                            @ForAll @IntRange(min = 0, max = 63) int position,
                                            @ForAll @IntRange(min = 1, max = 15) int delta) {
        String signature = SignatureVerifier.sign("secret", body);
        char[] hex = signature.toCharArray();
        int index = "sha256=".length() + position;
        hex[index] = Character.forDigit((Character.digit(hex[index], 16) + delta) % 16, 16);
        assertFalse(SignatureVerifier.signatureMatches(new String(hex), body, List.of("secret")));
        byte[] altered = body.clone();
        altered[position % altered.length] ^= (byte) delta;
        assertFalse(SignatureVerifier.signatureMatches(signature, altered, List.of("secret")));
        assertFalse(SignatureVerifier.signatureMatches(signature.replace("sha256=", "sha1="), body, List.of("secret")));
    }

    @Property(tries = 300)
    void tokensMatchOnlyTheExactSecret(@ForAll @StringLength(min = 1, max = 64) String secret, @ForAll String token) {
        assertTrue(SignatureVerifier.tokenMatches(secret, List.of(secret)));
        assertEquals(token.equals(secret), SignatureVerifier.tokenMatches(token, List.of(secret)));
    }

    @Property(tries = 500)
    void datesNeverThrowWhateverTheText(@ForAll String text) {
        Dates.parse(text); // null or an instant: any other outcome (an exception) fails the property
    }

    /** Any instant, written in each of the three forms Bitbucket uses, reads back as that instant. */
    @Property(tries = 300)
    void everyDateFormReadsBackToTheSameInstant(@ForAll @LongRange(min = 0, max = 4_102_444_800_000L) long epochMillis,
                                                @ForAll @IntRange(min = -14 * 60, max = 14 * 60) int offsetMinutes) {
        Instant instant = Instant.ofEpochMilli(epochMillis);
        java.time.ZoneOffset offset = java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
        String colonless = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").format(instant.atOffset(offset));
        assertEquals(instant, Dates.parse(EventJson.mapper().getNodeFactory().numberNode(epochMillis)), "epoch millis");
        assertEquals(instant, Dates.parse(String.valueOf(epochMillis)), "epoch millis as text");
        assertEquals(instant, Dates.parse(colonless), colonless);
        assertEquals(instant, Dates.parse(instant.toString()), instant.toString());
    }

    /**
     * Take a real payload, damage it at random (fields removed or replaced by values of another kind): the
     * mappers either produce an event or say what is missing; they never fail any other way.
     */
    @Property(tries = 400)
    void damagedPayloadsEitherNormaliseOrAreRefusedAsInvalid(@ForAll @IntRange(min = 0, max = 10_000) int fixtureIndex,
                                                             @ForAll @IntRange(min = 1, max = 12) int damages,
                                                             @ForAll long seed) {
        Path fixture = FIXTURES.get(fixtureIndex % FIXTURES.size());
        String eventKey = Fixtures.header(fixture, "X-Event-Key").orElseThrow();
        Provider provider = Fixtures.provider(eventKey);
        Assume.that(EventKeys.published(provider, eventKey));
        JsonNode body = damage(read(fixture), damages, new Random(seed));
        DeliveryContext delivery = new DeliveryContext(provider, "cred", eventKey, "id", 1, Instant.EPOCH, null);
        try {
            var event = (provider == Provider.BITBUCKET_CLOUD ? CLOUD : SERVER).map(delivery, body);
            assertTrue(event.recordKey().startsWith(provider.slug() + ":"));
            EventJson.toBytes(event.event());
        } catch (PayloadInvalidException expected) {
            assertFalse(expected.getMessage().isBlank());
        }
    }

    private static JsonNode read(Path fixture) {
        try {
            return EventJson.mapper().readTree(Fixtures.body(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode damage(JsonNode root, int damages, Random random) {
        for (int i = 0; i < damages; i++) {
            List<Map.Entry<JsonNode, String>> slots = new ArrayList<>();
            collect(root, slots);
            if (slots.isEmpty()) {
                break;
            }
            Map.Entry<JsonNode, String> slot = slots.get(random.nextInt(slots.size()));
            JsonNode parent = slot.getKey();
            JsonNode replacement = randomValue(random);
            if (parent instanceof ObjectNode object) {
                if (replacement == null) {
                    object.remove(slot.getValue());
                } else {
                    object.set(slot.getValue(), replacement);
                }
            } else if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(slot.getValue()), replacement == null ? JsonNodeFactory.instance.nullNode() : replacement);
            }
        }
        return root;
    }

    private static void collect(JsonNode node, List<Map.Entry<JsonNode, String>> slots) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                slots.add(Map.entry(object, name));
                collect(object.get(name), slots);
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(Map.entry(array, Integer.toString(i)));
                collect(array.get(i), slots);
            }
        }
    }

    private static JsonNode randomValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> f.nullNode();
            case 2 -> f.numberNode(random.nextLong());
            case 3 -> f.textNode(Long.toString(random.nextLong(), 36));
            case 4 -> f.booleanNode(random.nextBoolean());
            case 5 -> f.arrayNode().add(f.textNode("x")).add(f.objectNode());
            case 6 -> f.objectNode();
            default -> f.textNode("0".repeat(40));
        };
    }
}
