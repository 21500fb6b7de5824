package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The field mapping between the v1alpha1 spec (the standalone's component fields at top level)
 * and the v1beta1 hub spec, as the reference operator defines it. Pure functions on JSON trees,
 * so that every field, known or not, is carried by construction. What the mapping cannot carry
 * is {@link LosslessConversion}'s business.
 */
final class MilvusSpecMapping {

    /** The standalone's default port; the alpha shape cannot say anything else. */
    static final int STANDALONE_PORT = 19530;

    /** Alpha fields that are not the standalone component's. */
    private static final Set<String> ALPHA_NON_COMPONENT = Set.of("dependencies", "config", "persistence", "disableMetric");

    private MilvusSpecMapping() {
    }

    static ObjectNode alphaToBeta(ObjectNode alpha) {
        ObjectNode beta = JsonNodeFactory.instance.objectNode();
        beta.put("mode", "standalone");
        ObjectNode components = beta.putObject("components");
        ObjectNode standalone = components.putObject("standalone");
        alpha.properties().forEach(field -> {
            if (!ALPHA_NON_COMPONENT.contains(field.getKey())) standalone.set(field.getKey(), field.getValue().deepCopy());
        });
        if (!standalone.has("port")) standalone.put("port", STANDALONE_PORT);
        copyIfPresent(alpha, "disableMetric", components);
        ObjectNode dependencies = alpha.get("dependencies") instanceof ObjectNode d ? d.deepCopy() : JsonNodeFactory.instance.objectNode();
        if (alpha.has("persistence")) {
            ObjectNode rocksmq = dependencies.get("rocksmq") instanceof ObjectNode r ? r : dependencies.putObject("rocksmq");
            rocksmq.set("persistence", alpha.get("persistence").deepCopy());
        }
        if (alpha.has("dependencies") || !dependencies.isEmpty()) beta.set("dependencies", dependencies);
        copyIfPresent(alpha, "config", beta);
        return beta;
    }

    static ObjectNode betaToAlpha(ObjectNode beta) {
        ObjectNode alpha = JsonNodeFactory.instance.objectNode();
        JsonNode components = beta.path("components");
        if (components.get("standalone") instanceof ObjectNode standalone) {
            standalone.properties().forEach(field -> alpha.set(field.getKey(), field.getValue().deepCopy()));
            if (alpha.path("port").isInt() && alpha.get("port").asInt() == STANDALONE_PORT) alpha.remove("port");
        }
        if (components.has("disableMetric")) alpha.set("disableMetric", components.get("disableMetric").deepCopy());
        if (beta.get("dependencies") instanceof ObjectNode betaDependencies) {
            ObjectNode dependencies = betaDependencies.deepCopy();
            if (dependencies.get("rocksmq") instanceof ObjectNode rocksmq && rocksmq.has("persistence")) {
                alpha.set("persistence", rocksmq.remove("persistence"));
                if (rocksmq.isEmpty()) dependencies.remove("rocksmq");
            }
            alpha.set("dependencies", dependencies);
        }
        copyIfPresent(beta, "config", alpha);
        return alpha;
    }

    private static void copyIfPresent(JsonNode from, String field, ObjectNode to) {
        if (from.has(field)) to.set(field, from.get(field).deepCopy());
    }
}
