package io.milvus.upgrade.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON Patch from the raw request object to the defaulted one, built so that it can only add.
 *
 * <p>The typed model may read and write an object differently from how the user wrote it (key
 * order, a field it does not know, an explicit {@code null}). So the defaults are found by
 * comparing the typed object before and after defaulting, only what defaulting added is laid
 * over the raw object where the raw object has nothing, and the patch is the diff from raw to that.
 * A value the user wrote is therefore never removed or rewritten, whatever a defaulter does.
 */
public final class DefaultingPatch {

    private DefaultingPatch() {
    }

    /** The patch, as a JSON array (empty when defaulting added nothing). */
    public static JsonNode between(JsonNode raw, JsonNode typedBefore, JsonNode typedAfter) {
        JsonNode defaulted = raw.deepCopy();
        fillMissing(defaulted, typedBefore, typedAfter);
        return JsonDiff.asJson(raw, defaulted);
    }

    /**
     * Where {@code target} has no value (absent, null or an empty string, which Go clients write
     * for "unset"), take what {@code after} has and {@code before} had not.
     */
    private static void fillMissing(JsonNode target, JsonNode before, JsonNode after) {
        if (!(target instanceof ObjectNode into) || !after.isObject()) {
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
            if (present == null && was != null && was.isObject() && now.isObject()) {
                // The model made up an object the user did not write: add only the defaults in it.
                ObjectNode fresh = into.putObject(field.getKey());
                fillMissing(fresh, was, now);
                if (fresh.isEmpty()) into.remove(field.getKey());
            } else if (isUnset(present)) {
                into.set(field.getKey(), now.deepCopy());
            } else {
                fillMissing(present, was, now);
            }
        }
    }

    private static boolean isUnset(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty());
    }
}
