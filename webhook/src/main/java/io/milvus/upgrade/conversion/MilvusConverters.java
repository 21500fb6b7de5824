package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** The converters of every Milvus version we serve. */
final class MilvusConverters {

    static final String V1BETA1 = "milvus.io/v1beta1";
    static final String V1ALPHA1 = "milvus.io/v1alpha1";
    /** Hub spec fields the alpha shape has a place for; the rest comes back from the origin annotation. */
    private static final Set<String> ALPHA_EXPRESSIBLE = Set.of("mode", "components", "dependencies", "config");
    private static final Set<String> ALPHA_EXPRESSIBLE_COMPONENTS = Set.of("standalone", "disableMetric");

    private MilvusConverters() {
    }

    static List<SpokeConverter> all() {
        return List.of(hub(), alpha());
    }

    private static SpokeConverter hub() {
        return new SpokeConverter() {
            @Override
            public String apiVersion() {
                return V1BETA1;
            }

            @Override
            public ObjectNode toHub(ObjectNode object, SchemaDefaults defaults) {
                return object;
            }

            @Override
            public ObjectNode fromHub(ObjectNode hub, SchemaDefaults defaults) {
                return hub;
            }
        };
    }

    private static SpokeConverter alpha() {
        return new SpokeConverter() {
            @Override
            public String apiVersion() {
                return V1ALPHA1;
            }

            @Override
            public ObjectNode toHub(ObjectNode object, SchemaDefaults defaults) throws LosslessConversion.ConversionException {
                // An alpha Milvus is a standalone whether or not it has a spec: with none it converts
                // as an empty spec does, to mode standalone (so does the operator's own conversion).
                if (!(object.get("spec") instanceof ObjectNode)) object.putObject("spec");
                return LosslessConversion.convert(object, V1ALPHA1, V1BETA1, MilvusSpecMapping::alphaToBeta,
                        MilvusSpecMapping::betaToAlpha, MilvusConverters::restoreWhatAlphaCannotExpress, defaults);
            }

            @Override
            public ObjectNode fromHub(ObjectNode hub, SchemaDefaults defaults) throws LosslessConversion.ConversionException {
                // Alpha → beta loses nothing alpha users can edit, so there is nothing to overlay.
                return LosslessConversion.convert(hub, V1BETA1, V1ALPHA1, MilvusSpecMapping::betaToAlpha,
                        MilvusSpecMapping::alphaToBeta, (original, converted) -> { }, defaults);
            }
        };
    }

    /** The beta spec edited as alpha: mode, global image, cluster components and other fields come from the original. */
    private static void restoreWhatAlphaCannotExpress(ObjectNode original, ObjectNode converted) {
        original.properties().forEach(field -> {
            if (!ALPHA_EXPRESSIBLE.contains(field.getKey()) || field.getKey().equals("mode")) {
                converted.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        if (original.get("components") instanceof ObjectNode components && converted.get("components") instanceof ObjectNode into) {
            components.properties().forEach(field -> {
                if (!ALPHA_EXPRESSIBLE_COMPONENTS.contains(field.getKey())) into.set(field.getKey(), field.getValue().deepCopy());
            });
            JsonNode standalone = components.get("standalone");
            if (standalone == null && into.path("standalone").size() == 1 && into.path("standalone").has("port")) {
                into.remove("standalone"); // a cluster had no standalone; the mapping only made up its port
            }
        }
    }
}
