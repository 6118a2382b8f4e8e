package io.bitbridge.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checked-in schemas are the contract: they must equal what the records serialise to, and every
 * record must round-trip through JSON and validate. Run with {@code -Dbitbridge.schemas.write=true}
 * to rewrite the schema files after a deliberate change to a record.
 */
class EventContractTest {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @ParameterizedTest
    @EnumSource(EventType.class)
    void checkedInSchemaMatchesTheRecord(EventType type) throws IOException {
        ObjectNode generated = RecordSchemaGenerator.schemaFor(type);
        Path file = Path.of("src/main/resources").resolve(type.schemaResource().substring(1));
        if (Boolean.getBoolean("bitbridge.schemas.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, PRETTY.writeValueAsString(generated) + "\n");
        }
        assertEquals(generated, readSchema(type),
                type + ": the record and " + file + " differ; if the change is deliberate and compatible, "
                        + "rerun with -Dbitbridge.schemas.write=true, otherwise add a new .vN topic");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void recordRoundTripsThroughJsonAndValidates(EventType type) throws IOException {
        Record sample = EventSamples.sample(type);
        byte[] json = EventJson.toBytes(sample);

        assertEquals(sample, EventJson.fromBytes(json, type.recordType()));
        JsonSchema schema = SCHEMAS.getSchema(readSchema(type));
        Set<ValidationMessage> errors = schema.validate(EventJson.mapper().readTree(json));
        assertTrue(errors.isEmpty(), () -> type + " does not validate: " + errors);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaRejectsAnEventMissingARequiredField(EventType type) throws IOException {
        ObjectNode json = (ObjectNode) EventJson.mapper().valueToTree(EventSamples.sample(type));
        String first = json.fieldNames().next();
        json.remove(first);
        assertFalse(SCHEMAS.getSchema(readSchema(type)).validate(json).isEmpty(), type + " accepted an event without " + first);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void topicAndCeTypeAreVersioned(EventType type) {
        assertTrue(type.topic().matches("[a-z.-]+\\.v\\d+"), type.topic());
        assertTrue(type.ceType().endsWith(type.topic()), type.ceType());
        assertEquals(type, EventType.byCeType(type.ceType()).orElseThrow());
    }

    private static JsonNode readSchema(EventType type) throws IOException {
        try (InputStream in = EventContractTest.class.getResourceAsStream(type.schemaResource())) {
            if (in == null && Boolean.getBoolean("bitbridge.schemas.write")) {
                return PRETTY.readTree(Files.readString(Path.of("src/main/resources").resolve(type.schemaResource().substring(1))));
            }
            assertNotNull(in, "missing schema " + type.schemaResource());
            return PRETTY.readTree(in);
        }
    }
}
