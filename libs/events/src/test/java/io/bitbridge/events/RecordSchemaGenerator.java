package io.bitbridge.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives the JSON Schema (draft 2020-12) a record serialises to, so the checked-in schema files can be
 * proven to match the records. Every component is required (Jackson writes nulls); reference types are
 * nullable unless marked {@link Required}.
 */
final class RecordSchemaGenerator {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RecordSchemaGenerator() {
    }

    static ObjectNode schemaFor(EventType type) {
        Map<String, ObjectNode> defs = new TreeMap<>();
        ObjectNode root = objectSchema(type.recordType(), defs);
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", "https://bitbridge.io" + type.schemaResource());
        schema.put("title", type.recordType().getSimpleName());
        schema.put("description", "Record value on topic(s) " + java.util.Arrays.stream(EventType.values())
                .filter(t -> t.schemaResource().equals(type.schemaResource()))
                .map(EventType::topic).collect(java.util.stream.Collectors.joining(", ")));
        schema.setAll(root);
        if (!defs.isEmpty()) {
            ObjectNode defsNode = schema.putObject("$defs");
            defs.forEach(defsNode::set);
        }
        return schema;
    }

    private static ObjectNode objectSchema(Class<?> recordType, Map<String, ObjectNode> defs) {
        ObjectNode node = JSON.objectNode();
        node.put("type", "object");
        node.put("additionalProperties", false);
        ObjectNode properties = node.putObject("properties");
        ArrayNode required = node.putArray("required");
        for (RecordComponent component : recordType.getRecordComponents()) {
            boolean nullable = !component.getType().isPrimitive() && !component.isAnnotationPresent(Required.class);
            properties.set(component.getName(), typeSchema(component.getGenericType(), nullable, defs));
            required.add(component.getName());
        }
        return node;
    }

    private static ObjectNode typeSchema(Type type, boolean nullable, Map<String, ObjectNode> defs) {
        ObjectNode node = JSON.objectNode();
        Class<?> raw = raw(type);
        if (raw == String.class) {
            setType(node, "string", nullable);
        } else if (raw == Instant.class) {
            setType(node, "string", nullable);
            node.put("format", "date-time");
        } else if (raw == boolean.class || raw == Boolean.class) {
            setType(node, "boolean", nullable);
        } else if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
            setType(node, "integer", nullable);
        } else if (raw.isEnum()) {
            ArrayNode values = node.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            if (nullable) {
                values.addNull();
            }
        } else if (Collection.class.isAssignableFrom(raw)) {
            setType(node, "array", nullable);
            node.set("items", typeSchema(argument(type, 0), false, defs));
        } else if (Map.class.isAssignableFrom(raw)) {
            setType(node, "object", nullable);
            node.set("additionalProperties", typeSchema(argument(type, 1), false, defs));
        } else if (raw.isRecord()) {
            String name = raw.getSimpleName();
            if (!defs.containsKey(name)) {
                defs.put(name, JSON.objectNode());
                defs.put(name, objectSchema(raw, defs));
            }
            String ref = "#/$defs/" + name;
            if (nullable) {
                node.putArray("oneOf").add(JSON.objectNode().put("type", "null")).add(JSON.objectNode().put("$ref", ref));
            } else {
                node.put("$ref", ref);
            }
        } else {
            throw new IllegalArgumentException("No JSON Schema mapping for " + type);
        }
        return node;
    }

    private static void setType(ObjectNode node, String type, boolean nullable) {
        if (nullable) {
            node.putArray("type").add(type).add("null");
        } else {
            node.put("type", type);
        }
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }
}
