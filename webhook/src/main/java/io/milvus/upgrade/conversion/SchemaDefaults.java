package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The defaults a CRD's structural schema declares for {@code spec}, per served version, applied as
 * the apiserver applies them to every object it reads or writes in that version: a missing (or
 * null, non-nullable) property gets its default, then every value is defaulted by its own schema.
 * Conversion needs them to know an object that comes back unchanged but defaulted: the apiserver
 * defaults what we convert before a client sees it, so a round trip through a version whose schema
 * has defaults would otherwise read as an edit.
 */
public final class SchemaDefaults {

    private static final SchemaDefaults NONE = new SchemaDefaults(Map.of());

    /** apiVersion ({@code milvus.io/v1alpha1}) to the schema of that version's {@code spec}. */
    private final Map<String, JsonNode> specSchemas;

    private SchemaDefaults(Map<String, JsonNode> specSchemas) {
        this.specSchemas = specSchemas;
    }

    /** No schema known (offline, or the CRD could not be read): nothing is defaulted. */
    public static SchemaDefaults none() {
        return NONE;
    }

    /** From a CustomResourceDefinition as JSON ({@code apiextensions.k8s.io/v1}). */
    public static SchemaDefaults of(JsonNode crd) {
        String group = crd.at("/spec/group").asText();
        Map<String, JsonNode> schemas = new HashMap<>();
        for (JsonNode version : crd.at("/spec/versions")) {
            JsonNode spec = version.at("/schema/openAPIV3Schema/properties/spec");
            if (spec.isObject()) {
                schemas.put(group + "/" + version.path("name").asText(), spec);
            }
        }
        return new SchemaDefaults(Map.copyOf(schemas));
    }

    /** A defaulted copy of {@code spec} as {@code apiVersion}'s schema has it; {@code spec} itself is left alone. */
    public ObjectNode applied(String apiVersion, ObjectNode spec) {
        JsonNode schema = specSchemas.get(apiVersion);
        if (schema == null) {
            return spec;
        }
        ObjectNode copy = spec.deepCopy();
        apply(copy, schema);
        return copy;
    }

    private static void apply(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.path("properties");
            properties.properties().forEach(property -> {
                JsonNode declared = property.getValue().get("default");
                JsonNode present = object.get(property.getKey());
                boolean nullable = property.getValue().path("nullable").asBoolean(false);
                if (declared != null && (present == null || (present.isNull() && !nullable))) {
                    object.set(property.getKey(), declared.deepCopy());
                }
            });
            JsonNode additional = schema.get("additionalProperties");
            object.properties().forEach(field -> {
                JsonNode own = properties.get(field.getKey());
                if (own != null) {
                    apply(field.getValue(), own);
                } else if (additional != null && additional.isObject()) {
                    apply(field.getValue(), additional);
                }
            });
        } else if (value instanceof ArrayNode array && schema.has("items")) {
            array.forEach(element -> apply(element, schema.get("items")));
        }
    }
}
