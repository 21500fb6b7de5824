package io.milvus.upgrade.admissionpolicy;

import io.milvus.upgrade.admissionpolicy.cel.ExportedRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.policy.RuleMode;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The export as one YAML stream for {@code kubectl apply -f}: a comment saying which rules it
 * carries, in which mode, and which stay with the webhook and why; then the objects.
 */
public final class PolicyExportDocument {

    private PolicyExportDocument() {
    }

    public static String render(UpgradePolicy policy, List<String> controllerUsers, String source) {
        StringBuilder out = new StringBuilder();
        out.append("# The Milvus image guard as ValidatingAdmissionPolicies (Kubernetes 1.33+), exported from ").append(source).append(".\n");
        out.append("# Milvus updates only; export again after changing the policy. Rules carried:\n");
        for (ExportedRule rule : GuardPolicyExport.RULES) {
            RuleMode mode = rule.mode(policy);
            boolean rendered = mode != RuleMode.OFF && !rule.render(policy).isEmpty();
            out.append("#   ").append(rule.key()).append(": ").append(rendered ? (mode == RuleMode.ENFORCE ? "Deny" : "Warn")
                    : mode == RuleMode.OFF ? "off" : "nothing to check under this policy").append('\n');
        }
        out.append("# Exempt by user only (weaker than the webhook, which also wants the MilvusUpgrade at that step): ")
                .append(controllerUsers.isEmpty() ? "nobody" : String.join(", ", controllerUsers)).append('\n');
        out.append("# Webhook-only:\n");
        for (WebhookOnlyRule rule : WebhookOnlyRule.ALL) out.append("#   ").append(rule.rule()).append(": ").append(rule.why()).append('\n');
        List<HasMetadata> objects = new GuardPolicyExport(policy, controllerUsers).objects();
        out.append(objects.stream().map(PolicyExportDocument::yaml).collect(Collectors.joining("")));
        return out.toString();
    }

    private static String yaml(HasMetadata object) {
        String yaml = ApiSerialization.kubernetes().asYaml(object);
        return yaml.startsWith("---") ? yaml : "---\n" + yaml;
    }

}
