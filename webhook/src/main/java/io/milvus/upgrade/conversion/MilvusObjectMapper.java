package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Converts one object of a review, hub and spoke: from its version to v1beta1 and on to the
 * desired one, with the served CRD's schema defaults. Every served version must have a converter.
 */
final class MilvusObjectMapper {

    private static final String KIND = "Milvus";

    private final Map<String, SpokeConverter> converters = new LinkedHashMap<>();
    private final List<String> served;
    private final Supplier<SchemaDefaults> defaults;

    /** @param defaults asked once for each object that changes version, so it must not block */
    MilvusObjectMapper(List<String> served, Supplier<SchemaDefaults> defaults) {
        this.served = served;
        this.defaults = defaults;
        MilvusConverters.all().forEach(c -> converters.put(c.apiVersion(), c));
        for (String version : served) {
            if (!converters.containsKey(version)) {
                throw new IllegalStateException("served version " + version + " has no converter");
            }
        }
    }

    Optional<SpokeConverter> converterTo(String apiVersion) {
        return Optional.ofNullable(converters.get(apiVersion));
    }

    /** @param index the object's place in {@code request.objects}, for messages */
    ObjectNode convert(JsonNode node, int index, SpokeConverter target) throws LosslessConversion.ConversionException {
        if (!(node instanceof ObjectNode object)) {
            throw new LosslessConversion.ConversionException("objects[" + index + "] is not an object");
        }
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (!KIND.equals(kind)) {
            throw new LosslessConversion.ConversionException("objects[" + index + "] is a " + (kind.isEmpty() ? "object without kind" : kind) + ", not a Milvus");
        }
        SpokeConverter source = converters.get(apiVersion);
        if (source == null) {
            throw new LosslessConversion.ConversionException("objects[" + index + "] has apiVersion '" + apiVersion + "', which is not served; served: " + served);
        }
        String metadata = MetadataShape.problem(object.get("metadata"));
        if (metadata != null) {
            throw new LosslessConversion.ConversionException("objects[" + index + "]: " + metadata);
        }
        if (object.has("spec") && !object.get("spec").isObject()) {
            throw new LosslessConversion.ConversionException("objects[" + index + "]: spec must be an object");
        }
        if (source == target) {
            return object;
        }
        try {
            SchemaDefaults schema = defaults.get();
            return target.fromHub(source.toHub(object, schema), schema);
        } catch (LosslessConversion.ConversionException e) {
            String name = object.path("metadata").path("name").asText("");
            throw new LosslessConversion.ConversionException("objects[" + index + "]" + (name.isEmpty() ? "" : " (" + name + ")") + ": " + e.getMessage());
        }
    }
}
