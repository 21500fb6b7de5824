package io.milvus.upgrade.milvus.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.components.MilvusTopology;
import java.util.List;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/**
 * The fields a step freezes (2.6: {@code spec.dependencies.msgStreamType}, {@code spec.mode})
 * keep their value in the update that takes the step: the new version starts on the old queue.
 * Fields are paths in the object, so an admin can freeze any of them in the policy file. A step
 * with {@code frozenTopology} (3.0) also keeps the set of components the Milvus runs.
 */
public final class FrozenFieldsRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        JsonNode before = ApiSerialization.json().valueToTree(change.old());
        JsonNode after = ApiSerialization.json().valueToTree(change.milvus());
        for (MilvusChange.TakenStep taken : change.stepsTaken()) {
            if (taken.step().frozenTopology()) checkTopology(change, taken, report);
            for (String field : taken.step().frozenFields()) {
                String pointer = "/" + field.replace('.', '/');
                if (!before.at(pointer).equals(after.at(pointer))) {
                    report.rule(PolicyRule.FROZEN_FIELDS, FieldError.forbidden(field, "must not change in the same update as the image step from "
                            + taken.from() + " to " + taken.to() + "; change the image first with " + field + " as it is ("
                            + text(before.at(pointer)) + "), then change " + field + " on its own if Milvus supports that change"));
                }
            }
        }
    }

    private static void checkTopology(MilvusChange change, MilvusChange.TakenStep taken, RuleReport report) {
        List<Component> before = MilvusTopology.components(change.old());
        List<Component> after = MilvusTopology.components(change.milvus());
        if (before.equals(after)) return;
        report.rule(PolicyRule.FROZEN_FIELDS, FieldError.forbidden("spec.components", "the components Milvus runs must not change in "
                + "the same update as the image step from " + taken.from() + " to " + taken.to() + " (before: " + names(before)
                + "; after: " + names(after) + "); change the image first with the components as they are, then change them on their own"));
    }

    private static String names(List<Component> components) {
        return components.stream().map(Component::field).toList().toString();
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "unset" : value.isTextual() ? value.asText() : value.toString();
    }
}
