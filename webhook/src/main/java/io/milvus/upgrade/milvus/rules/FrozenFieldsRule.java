package io.milvus.upgrade.milvus.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/**
 * The fields a step freezes (2.6: {@code spec.dependencies.msgStreamType}, {@code spec.mode})
 * keep their value in the update that takes the step: the new version starts on the old queue.
 * Fields are paths in the object, so an admin can freeze any of them in the policy file.
 */
public final class FrozenFieldsRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        JsonNode before = ApiSerialization.json().valueToTree(change.old());
        JsonNode after = ApiSerialization.json().valueToTree(change.milvus());
        for (MilvusChange.TakenStep taken : change.stepsTaken()) {
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

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "unset" : value.isTextual() ? value.asText() : value.toString();
    }
}
