package io.milvus.upgrade.milvus.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An image where the operator does not look for one, such as the upgrade guide's own
 * {@code spec.image}, changes nothing, so the user believes in an upgrade that never happens.
 * Denied with the field that was meant, when it was added or changed. Under the operator's CRD
 * the apiserver prunes such fields before admission; {@code kubectl apply --validate=strict}
 * (Kubernetes 1.25+) catches them there.
 */
public final class MisplacedImageRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        misplaced(change.milvus()).forEach((field, meant) -> {
            // An object stored with it before this rule existed can still be edited otherwise.
            if (change.isCreate() || !valueAt(change.old(), field).equals(valueAt(change.milvus(), field))) {
                report.rule(PolicyRule.MISPLACED_IMAGE, FieldError.invalid(field,
                        "the operator does not read an image here; did you mean " + meant + "?"));
            }
        });
    }

    /** Misplaced image field to the field that was meant. */
    private static Map<String, String> misplaced(Milvus milvus) {
        Map<String, String> found = new LinkedHashMap<>();
        if (milvus == null || milvus.getSpec() == null) return found;
        Map<String, Object> spec = milvus.getSpec().getAdditionalProperties();
        if (spec.containsKey("image")) found.put("spec.image", "spec.components.image");
        for (Component component : Component.values()) {
            if (hasImage(spec.get(component.field()))) found.put("spec." + component.field() + ".image", component.imageField());
        }
        MilvusComponents components = milvus.getSpec().getComponents();
        if (components != null) {
            components.getAdditionalProperties().forEach((name, value) -> {
                if (hasImage(value)) found.put("spec.components." + name + ".image", "one of spec.components.{"
                        + String.join(",", Arrays.stream(Component.values()).map(Component::field).toList()) + "}.image");
            });
        }
        return found;
    }

    private static boolean hasImage(Object value) {
        return value instanceof Map<?, ?> map && map.containsKey("image");
    }

    private static JsonNode valueAt(Milvus milvus, String field) {
        return ApiSerialization.json().valueToTree(milvus).at("/" + field.replace('.', '/'));
    }
}
