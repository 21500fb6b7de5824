package io.milvus.upgrade.admissionpolicy;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeVariables;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.ExportedRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchConditionBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.VariableBuilder;
import io.milvus.upgrade.admissionpolicy.rules.AllowedRepositoryExport;
import io.milvus.upgrade.admissionpolicy.rules.FrozenFieldsExport;
import io.milvus.upgrade.admissionpolicy.rules.ImageDowngradeExport;
import io.milvus.upgrade.admissionpolicy.rules.MigrationBoundaryExport;
import io.milvus.upgrade.admissionpolicy.rules.MisplacedImageExport;
import io.milvus.upgrade.admissionpolicy.rules.ModeChangeExport;
import io.milvus.upgrade.admissionpolicy.rules.RemovedImageExport;
import io.milvus.upgrade.admissionpolicy.rules.QueueSwitchExport;
import io.milvus.upgrade.admissionpolicy.rules.ZeroReplicasExport;
import io.milvus.upgrade.admissionpolicy.rules.ValidatedSourceExport;
import io.milvus.upgrade.admissionpolicy.rules.OperatorVersionReadingExport;
import io.milvus.upgrade.admissionpolicy.rules.RequiredTopologyExport;
import io.milvus.upgrade.admissionpolicy.rules.RollingUpgradeExport;
import io.milvus.upgrade.admissionpolicy.rules.UnknownVersionExport;
import io.milvus.upgrade.admissionpolicy.rules.UnpinnedTagExport;
import io.milvus.upgrade.admissionpolicy.rules.UpgradeStepExport;
import io.milvus.upgrade.policy.RuleMode;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Milvus image guard's rules that need no lookup in the cluster, rendered from the policy as
 * ValidatingAdmissionPolicies for Milvus updates, evaluated inside the apiserver (Kubernetes 1.33+
 * for CEL's semver library).
 *
 * <p>A binding's {@code validationActions} apply to every validation of its policy, so each action
 * is a policy of its own with its binding: enforced rules in {@value #DENY_NAME} (Deny), warned
 * rules in {@value #WARN_NAME} (Warn); rules that are off are not rendered.
 *
 * <p>The policy's data (steps, operator default image, repositories) is rendered into the CEL
 * rather than read from a params object: the policy file stays the one source that the webhook
 * and the export read alike, and a params ConfigMap holds only strings (CEL in Kubernetes takes
 * homogeneous literals only), so the steps would have to be parsed in CEL on every request.
 * Changing the policy is exporting again.
 */
public final class GuardPolicyExport {

    public static final String DENY_NAME = "milvus-upgrade-guard";
    public static final String WARN_NAME = "milvus-upgrade-guard-warn";
    /** Sorted, so that an export is the same text every time. */
    public static final Map<String, String> LABELS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("app.kubernetes.io/part-of", "milvus-upgrade",
            "app.kubernetes.io/component", "admission-policy")));

    /** In the order the webhook reports them ({@code milvus.MilvusImageGuard}). */
    static final List<ExportedRule> RULES = List.of(
            new MisplacedImageExport(),
            new ModeChangeExport(),
            new UnpinnedTagExport(),
            new AllowedRepositoryExport(),
            new OperatorVersionReadingExport(),
            new UnknownVersionExport(),
            new RemovedImageExport(),
            new MigrationBoundaryExport(),
            new ImageDowngradeExport(),
            new UpgradeStepExport(),
            new ValidatedSourceExport(),
            new RequiredTopologyExport(),
            new FrozenFieldsExport(),
            new ZeroReplicasExport(),
            new QueueSwitchExport(),
            new RollingUpgradeExport());

    private final UpgradePolicy policy;
    private final List<String> controllerUsers;

    /**
     * @param controllerUsers  users whose Milvus updates the policies do not judge (the upgrade
     *                         controller's, which sets images at its steps); the webhook also asks
     *                         for an unfinished MilvusUpgrade at that step, which CEL cannot read
     */
    public GuardPolicyExport(UpgradePolicy policy, List<String> controllerUsers) {
        this.policy = policy;
        this.controllerUsers = List.copyOf(controllerUsers);
    }

    /** The policies and their bindings, in the order they are applied; a policy with no validations is left out. */
    public List<HasMetadata> objects() {
        List<GuardValidation> deny = validationsIn(RuleMode.ENFORCE);
        List<GuardValidation> warn = new ArrayList<>(validationsIn(RuleMode.WARN));
        List<MatchCondition> denyConditions = new ArrayList<>(matchConditions());
        if (policy.override().enabled()) {
            // The webhook turns enforced rules into warnings for an annotated Milvus, and says so.
            String overridden = Cel.optionalAt("object", "metadata.annotations") + "[?" + Cel.string(policy.override().annotation())
                    + "].orValue('') == 'true'";
            denyConditions.add(matchCondition("not-overridden", "!(" + overridden + ")"));
            deny.forEach(validation -> warn.add(validation.unless("!(" + overridden + ")")));
            warn.add(new GuardValidation("override", "!(" + overridden + ") || " + ImageChangeVariables.CHANGES + ".size() == 0",
                    "'the Milvus image guard was overridden by ' + request.userInfo.username + ' through the admin override annotation "
                            + policy.override().annotation() + "; enforced rules are warnings'"));
        }
        List<HasMetadata> objects = new ArrayList<>();
        if (!deny.isEmpty()) {
            objects.add(policy(DENY_NAME, deny, denyConditions, "Fail"));
            objects.add(binding(DENY_NAME, "Deny"));
        }
        if (!warn.isEmpty()) {
            // A warning must never block a write, even when its CEL fails.
            objects.add(policy(WARN_NAME, warn, matchConditions(), "Ignore"));
            objects.add(binding(WARN_NAME, "Warn"));
        }
        return objects;
    }

    private List<GuardValidation> validationsIn(RuleMode mode) {
        List<GuardValidation> validations = new ArrayList<>();
        for (ExportedRule rule : RULES) {
            if (rule.mode(policy) == mode) validations.addAll(rule.render(policy));
        }
        return validations;
    }

    private List<MatchCondition> matchConditions() {
        if (controllerUsers.isEmpty()) return List.of();
        return List.of(matchCondition("not-the-upgrade-controller", "!(request.userInfo.username in " + Cel.strings(controllerUsers) + ")"));
    }

    private static MatchCondition matchCondition(String name, String expression) {
        return new MatchConditionBuilder().withName(name).withExpression(expression).build();
    }

    private ValidatingAdmissionPolicy policy(String name, List<GuardValidation> validations, List<MatchCondition> conditions, String failurePolicy) {
        return new ValidatingAdmissionPolicyBuilder()
                .withNewMetadata().withName(name).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withFailurePolicy(failurePolicy)
                .withNewMatchConstraints()
                .withMatchPolicy("Equivalent")
                .addNewResourceRule()
                .withApiGroups("milvus.io").withApiVersions("v1beta1").withOperations("UPDATE").withResources("milvuses")
                .endResourceRule()
                .endMatchConstraints()
                .withMatchConditions(conditions)
                .withVariables(ImageChangeVariables.of(policy).stream().map(v -> new VariableBuilder().withName(v.name()).withExpression(v.expression()).build()).toList())
                .withValidations(validations.stream().map(GuardPolicyExport::validation).toList())
                .endSpec()
                .build();
    }

    private static Validation validation(GuardValidation validation) {
        Validation rendered = new Validation();
        rendered.setExpression(validation.expression());
        rendered.setMessageExpression(validation.messageExpression());
        rendered.setMessage("the Milvus image guard's rule " + validation.rule() + " is broken");
        rendered.setReason("Forbidden");
        return rendered;
    }

    private static ValidatingAdmissionPolicyBinding binding(String policyName, String action) {
        return new ValidatingAdmissionPolicyBindingBuilder()
                .withNewMetadata().withName(policyName).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withPolicyName(policyName)
                .withValidationActions(action)
                .withNewMatchResources()
                .withNamespaceSelector(new LabelSelectorBuilder()
                        .addNewMatchExpression().withKey("milvus-upgrade.io/ignore").withOperator("NotIn").withValues("true").endMatchExpression()
                        .addNewMatchExpression().withKey("kubernetes.io/metadata.name").withOperator("NotIn").withValues("kube-system").endMatchExpression()
                        .build())
                .endMatchResources()
                .endSpec()
                .build();
    }
}
