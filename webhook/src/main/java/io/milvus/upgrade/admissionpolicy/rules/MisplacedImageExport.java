package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.optionalAt;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code milvus.rules.MisplacedImageRule}: an image where the operator does not read one
 * ({@code spec.image}, {@code spec.<component>.image}), added or changed. Under a CRD that prunes
 * unknown fields they never reach admission; {@code kubectl apply --validate=strict} refuses them.
 * Unlike the webhook, the export does not look for unknown component names under
 * {@code spec.components}: CEL cannot tell them apart without the model's list of known fields.
 */
public final class MisplacedImageExport extends PolicyRuleExport {

    public MisplacedImageExport() {
        super(PolicyRule.MISPLACED_IMAGE);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        Map<String, String> meant = new LinkedHashMap<>();
        meant.put("spec.image", "spec.components.image");
        for (Component component : Component.values()) meant.put("spec." + component.field() + ".image", component.imageField());
        List<String> keeps = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        meant.forEach((field, instead) -> {
            String keep = "(!" + optionalAt("object", field) + ".hasValue() || " + optionalAt("oldObject", field) + " == "
                    + optionalAt("object", field) + ")";
            keeps.add(keep);
            messages.add(Cel.ifElse(keep, "''", Cel.string(field + ": the operator does not read an image here; did you mean " + instead + "?")));
        });
        return List.of(validation(String.join(" && ", keeps), "[" + String.join(", ", messages) + "].filter(m, m != '').join('; ')"));
    }
}
