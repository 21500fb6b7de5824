package io.milvus.upgrade.admissionpolicy;

import io.milvus.upgrade.admissionpolicy.cel.ExportedRule;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.testing.Verdicts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardPolicyExportTest {

    private static final List<String> CONTROLLER = List.of("system:serviceaccount:milvus-upgrade-system:milvus-upgrade-controller");

    @Test
    void enforcedRulesDenyAndWarnedRulesWarnEachInAPolicyOfItsOwn() {
        List<HasMetadata> objects = export(UpgradePolicy.builtIn());
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "ValidatingAdmissionPolicy/milvus-upgrade-guard", "ValidatingAdmissionPolicyBinding/milvus-upgrade-guard",
                "ValidatingAdmissionPolicy/milvus-upgrade-guard-warn", "ValidatingAdmissionPolicyBinding/milvus-upgrade-guard-warn");
        assertThat(binding(objects, GuardPolicyExport.DENY_NAME).getSpec().getValidationActions()).containsExactly("Deny");
        assertThat(binding(objects, GuardPolicyExport.WARN_NAME).getSpec().getValidationActions()).containsExactly("Warn");
        // requiredTopology for 2.6 and 3.0; frozenFields: queue and mode for each, and 3.0's topology.
        assertThat(rules(objects, GuardPolicyExport.DENY_NAME)).containsExactly("misplacedImage", "modeChange", "unpinnedTag",
                "operatorVersionReading", "imageMigrationBoundary", "imageDowngrade", "imageUpgradeStep", "requiredTopology", "requiredTopology",
                "frozenFields", "frozenFields", "frozenFields", "frozenFields", "frozenFields", "zeroReplicas", "queueSwitch", "rollingUpgrade");
        assertThat(rules(objects, GuardPolicyExport.WARN_NAME)).containsExactly("unknownVersion", "validatedSource");
    }

    @Test
    void milvusUpdatesInEveryServedVersionAreMatched() {
        var constraints = policy(export(UpgradePolicy.builtIn()), GuardPolicyExport.DENY_NAME).getSpec().getMatchConstraints();
        assertThat(constraints.getMatchPolicy()).isEqualTo("Equivalent");
        assertThat(constraints.getResourceRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("milvus.io");
            assertThat(rule.getApiVersions()).containsExactly("v1beta1");
            assertThat(rule.getOperations()).containsExactly("UPDATE");
            assertThat(rule.getResources()).containsExactly("milvuses");
        });
    }

    @Test
    void theModeOfEachRuleComesFromThePolicy() {
        UpgradePolicy policy = Verdicts.policy("rules: {imageUpgradeStep: warn, modeChange: \"off\"}").current();
        List<HasMetadata> objects = export(policy);
        assertThat(rules(objects, GuardPolicyExport.DENY_NAME)).doesNotContain("imageUpgradeStep", "modeChange");
        assertThat(rules(objects, GuardPolicyExport.WARN_NAME)).contains("imageUpgradeStep").doesNotContain("modeChange");
    }

    @Test
    void everyRuleOffLeavesOnlyTheWarnings() {
        String off = GuardPolicyExport.RULES.stream().map(ExportedRule::key).filter(key -> !key.equals("unknownVersion"))
                .map(key -> key + ": \"off\"").reduce((a, b) -> a + ", " + b).orElseThrow();
        List<HasMetadata> objects = export(Verdicts.policy("rules: {" + off + "}").current());
        assertThat(objects).extracting(o -> o.getMetadata().getName()).containsOnly(GuardPolicyExport.WARN_NAME);
    }

    @Test
    void theControllerIsExemptByItsUserOnly() {
        List<MatchCondition> conditions = policy(export(UpgradePolicy.builtIn()), GuardPolicyExport.DENY_NAME).getSpec().getMatchConditions();
        assertThat(conditions).singleElement().satisfies(c -> assertThat(c.getExpression())
                .isEqualTo("!(request.userInfo.username in ['system:serviceaccount:milvus-upgrade-system:milvus-upgrade-controller'])"));
        assertThat(policy(new GuardPolicyExport(UpgradePolicy.builtIn(), List.of()).objects(), GuardPolicyExport.DENY_NAME)
                .getSpec().getMatchConditions()).isEmpty();
    }

    @Test
    void allowedRepositoriesAreCheckedOnlyWhenThePolicyNamesSome() {
        assertThat(rules(export(UpgradePolicy.builtIn()), GuardPolicyExport.DENY_NAME)).doesNotContain("allowedRepository");
        List<HasMetadata> objects = export(Verdicts.policy("allowedRepositories: [registry.local/, milvusdb/milvus]").current());
        assertThat(validation(objects, "allowedRepository").getExpression()).contains("['registry.local/', 'milvusdb/milvus/']");
    }

    @Test
    void theRemovedImageIsDeniedOnlyWhenThePolicyNamesNoDefault() {
        assertThat(rules(export(UpgradePolicy.builtIn()), GuardPolicyExport.DENY_NAME)).doesNotContain("removedImage");
        assertThat(rules(export(Verdicts.policy("operatorDefaultImage: \"\"").current()), GuardPolicyExport.DENY_NAME)).contains("removedImage");
    }

    @Test
    void anAddedStepIsRenderedFromItsData() {
        UpgradePolicy policy = Verdicts.policy("addSteps:\n  - {from: \">=2.6.5 <2.7.0\", to: \">=2.7.0 <2.8.0\", minimumSource: 2.6.9, "
                + "frozenFields: [spec.dependencies.mqType]}").current();
        List<HasMetadata> objects = export(policy);
        assertThat(validation(objects, "imageUpgradeStep").getExpression()).contains("semver('2.6.9', true)");
        assertThat(policy(objects, GuardPolicyExport.DENY_NAME).getSpec().getValidations())
                .anySatisfy(v -> assertThat(v.getExpression()).contains("oldObject.?spec.?dependencies.?mqType"));
    }

    @Test
    void theOverrideTurnsEnforcedRulesIntoWarningsThatSayWho() {
        List<HasMetadata> objects = export(Verdicts.policy("override: {enabled: true}").current());
        assertThat(policy(objects, GuardPolicyExport.DENY_NAME).getSpec().getMatchConditions()).extracting(MatchCondition::getName)
                .containsExactly("not-the-upgrade-controller", "not-overridden");
        assertThat(rules(objects, GuardPolicyExport.WARN_NAME)).contains("imageMigrationBoundary", "override");
        assertThat(validation(objects, "override").getMessageExpression()).contains("request.userInfo.username");
    }

    private static List<HasMetadata> export(UpgradePolicy policy) {
        return new GuardPolicyExport(policy, CONTROLLER).objects();
    }

    private static ValidatingAdmissionPolicy policy(List<HasMetadata> objects, String name) {
        return objects.stream().filter(ValidatingAdmissionPolicy.class::isInstance).map(ValidatingAdmissionPolicy.class::cast)
                .filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static ValidatingAdmissionPolicyBinding binding(List<HasMetadata> objects, String name) {
        return objects.stream().filter(ValidatingAdmissionPolicyBinding.class::isInstance).map(ValidatingAdmissionPolicyBinding.class::cast)
                .filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    /** The rule keys of a policy's validations, in order, from their static messages. */
    private static List<String> rules(List<HasMetadata> objects, String name) {
        return objects.stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .map(o -> policy(objects, name).getSpec().getValidations().stream().map(GuardPolicyExportTest::ruleOf).toList())
                .orElse(List.of());
    }

    private static Validation validation(List<HasMetadata> objects, String rule) {
        return objects.stream().filter(ValidatingAdmissionPolicy.class::isInstance).map(ValidatingAdmissionPolicy.class::cast)
                .flatMap(p -> p.getSpec().getValidations().stream()).filter(v -> ruleOf(v).equals(rule)).findFirst().orElseThrow();
    }

    private static String ruleOf(Validation validation) {
        return Optional.of(validation.getMessage()).map(m -> m.replaceFirst("^the Milvus image guard's rule (\\S+) is broken$", "$1")).orElseThrow();
    }
}
