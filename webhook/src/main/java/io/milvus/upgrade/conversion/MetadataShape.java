package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.admission.JsonShape;
import java.util.Map;

/**
 * The parts of an object's metadata that Kubernetes types strictly and that conversion copies
 * through untouched: an object, and labels and annotations that map strings to strings. The
 * apiserver never sends anything else; an object that has it is not one the conversion can vouch
 * for, so it fails rather than passes on what it did not understand.
 */
final class MetadataShape {

    private MetadataShape() {
    }

    /** Why {@code metadata} is malformed, or null when it is not (or absent). */
    static String problem(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) return null;
        if (!metadata.isObject()) return "metadata must be an object, not " + JsonShape.typeOf(metadata);
        for (String field : new String[]{"labels", "annotations"}) {
            JsonNode map = metadata.get(field);
            if (map == null || map.isNull()) continue;
            if (!map.isObject()) return "metadata." + field + " must be a map of strings, not " + JsonShape.typeOf(map);
            for (Map.Entry<String, JsonNode> entry : map.properties()) {
                if (!entry.getValue().isTextual()) {
                    return "metadata." + field + "." + entry.getKey() + " must be a string, not " + JsonShape.typeOf(entry.getValue());
                }
            }
        }
        return null;
    }
}
