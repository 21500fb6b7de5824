package io.milvus.upgrade.admission;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON Patch from the raw request object to the defaulted one, built so that it can only add.
 *
 * <p>The typed model may read and write an object differently from how the user wrote it (key
 * order, a field it does not know, an explicit {@code null}). So the defaults are found by
 * comparing the typed object before and after defaulting, and only what defaulting added is
 * written, where the raw object has nothing. A value the user wrote is therefore never removed or
 * rewritten, whatever a defaulter does.
 *
 * <p>The operations are written as the overlay is found, not diffed afterwards: each one is an
 * {@code add} of a field the raw object lacks (or a {@code replace} of one it holds as null or
 * ""), so the diff of raw and overlaid would only find them again, at the cost of copying the
 * raw object and comparing it whole.
 */
public final class DefaultingPatch {

    private DefaultingPatch() {
    }

    /** The patch, as a JSON array (empty when defaulting added nothing). */
    public static JsonNode between(JsonNode raw, JsonNode typedBefore, JsonNode typedAfter) {
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        addMissing(raw, typedBefore, typedAfter, JsonPointer.empty(), patch);
        return patch;
    }

    /**
     * Where {@code raw} has no value (absent, null or an empty string, which Go clients write for
     * "unset"), the operation that sets what {@code after} has and {@code before} had not.
     */
    private static void addMissing(JsonNode raw, JsonNode before, JsonNode after, JsonPointer at, ArrayNode patch) {
        if (!(raw instanceof ObjectNode into) || !after.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode was = before == null ? null : before.get(field.getKey());
            JsonNode now = field.getValue();
            if (now.equals(was)) {
                continue;
            }
            JsonNode present = into.get(field.getKey());
            JsonPointer path = at.appendProperty(field.getKey());
            if (present == null && was != null && was.isObject() && now.isObject()) {
                // The model made up an object the user did not write: add only the defaults in it.
                ObjectNode added = added(was, now);
                if (!added.isEmpty()) operation(patch, "add", path, added);
            } else if (isUnset(present)) {
                operation(patch, present == null ? "add" : "replace", path, now);
            } else {
                addMissing(present, was, now, path, patch);
            }
        }
    }

    /** What {@code after} has and {@code before} had not, as a new object. */
    private static ObjectNode added(JsonNode before, JsonNode after) {
        ObjectNode added = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode was = before.get(field.getKey());
            JsonNode now = field.getValue();
            if (now.equals(was)) {
                continue;
            }
            if (was != null && was.isObject() && now.isObject()) {
                ObjectNode inner = added(was, now);
                if (!inner.isEmpty()) added.set(field.getKey(), inner);
            } else {
                added.set(field.getKey(), now);
            }
        }
        return added;
    }

    private static void operation(ArrayNode patch, String op, JsonPointer path, JsonNode value) {
        patch.addObject().put("op", op).put("path", path.toString()).set("value", value);
    }

    private static boolean isUnset(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty());
    }
}
