package io.milvus.upgrade.milvusupgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.milvusupgrade.rules.FrozenSpecRule;
import io.milvus.upgrade.milvusupgrade.rules.MaxRetryRule;
import io.milvus.upgrade.milvusupgrade.rules.OneActiveUpgradeRule;
import io.milvus.upgrade.milvusupgrade.rules.OperationRule;
import io.milvus.upgrade.milvusupgrade.rules.RequiredMilvusRule;
import io.milvus.upgrade.milvusupgrade.rules.SourceMatchesRunningRule;
import io.milvus.upgrade.milvusupgrade.rules.SupportedVersionsRule;
import io.milvus.upgrade.milvusupgrade.rules.TargetImageMatchesVersionRule;
import io.milvus.upgrade.milvusupgrade.rules.ToolImageRule;
import io.milvus.upgrade.milvusupgrade.rules.UpgradePathRule;
import io.milvus.upgrade.milvusupgrade.rules.UpgradeRule;
import io.milvus.upgrade.milvusupgrade.rules.UpgradeUnderReview;
import io.milvus.upgrade.milvusupgrade.rules.VersionSyntaxRule;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Spec section 2: which MilvusUpgrades may be created, and how a started one may change. Every
 * broken rule is reported at once, each on its field; version comparisons are skipped for a
 * version that did not parse, whose own error already says why.
 *
 * <p>An empty spec gets four errors: {@code spec.milvus.name}, {@code spec.sourceVersion} and
 * {@code spec.targetVersion} are required, and {@code spec.targetImage}, which the controller
 * starts, is then missing too (its message says that it defaults from targetVersion).
 *
 * <p>The rules are types of their own ({@code milvusupgrade.rules}), judged on the defaulted object.
 *
 * <p>Cluster reads (the Milvus, other MilvusUpgrades) never fail a review: when the cluster cannot
 * answer, the request is allowed with a warning that names the Milvus and the reason.
 */
public final class MilvusUpgradeValidator implements Validator<MilvusUpgrade> {

    /** In the order their findings are reported. */
    private static final List<UpgradeRule> CREATION_RULES = List.of(
            new RequiredMilvusRule(),
            new VersionSyntaxRule(),
            new SupportedVersionsRule(),
            new OperationRule(),
            new UpgradePathRule(),
            new TargetImageMatchesVersionRule(),
            new ToolImageRule(),
            new MaxRetryRule(),
            new SourceMatchesRunningRule(),
            new OneActiveUpgradeRule());

    private final PolicySource policy;
    private final ClusterLookup cluster;
    private final MilvusUpgradeDefaulter defaulter;

    public MilvusUpgradeValidator(PolicySource policy, ClusterLookup cluster) {
        this.policy = policy;
        this.cluster = cluster;
        this.defaulter = new MilvusUpgradeDefaulter(policy);
    }

    @Override
    public Verdict validateCreate(MilvusUpgrade upgrade, AdmissionContext context) {
        return creationRules(defaulted(upgrade, context), context).verdict();
    }

    /**
     * An update that leaves the spec as it was passes untouched: labels, finalizers and the like
     * are not admission's business, and re-running the cluster rules could deny the controller
     * removing its finalizer. Otherwise a spec not yet acted on (no state) is judged like a
     * create, and a started one is frozen except for {@code operation: upgrade → rollback}.
     */
    @Override
    public Verdict validateUpdate(MilvusUpgrade oldUpgrade, MilvusUpgrade upgrade, AdmissionContext context) {
        List<String> changed = changedSpecFields(oldUpgrade, upgrade, context);
        if (changed.isEmpty()) {
            return Verdict.allowed();
        }
        if (oldUpgrade.state().isEmpty()) {
            return creationRules(defaulted(upgrade, context), context).verdict();
        }
        RuleReport report = RuleReport.under(policy.current());
        new FrozenSpecRule().check(oldUpgrade, upgrade, changed, report);
        return report.verdict();
    }

    private RuleReport creationRules(MilvusUpgrade upgrade, AdmissionContext context) {
        RuleReport report = RuleReport.under(policy.current());
        UpgradeUnderReview review = new UpgradeUnderReview(upgrade, context, report.policy(), cluster);
        CREATION_RULES.forEach(rule -> rule.check(review, report));
        return report;
    }

    /**
     * The object as the mutating webhook leaves it: the apiserver may call this webhook with an
     * object that webhook has not completed (it ran before another mutation, or is not
     * installed), and the rules' messages must be true of what is stored.
     */
    private MilvusUpgrade defaulted(MilvusUpgrade upgrade, AdmissionContext context) {
        MilvusUpgrade copy = ApiSerialization.json().convertValue(upgrade, MilvusUpgrade.class);
        defaulter.applyDefaults(copy, context);
        return copy;
    }

    /**
     * The spec fields (leaf paths) an update changes, both sides defaulted first: an object
     * created before this webhook lacks defaults that the mutating webhook adds on every update,
     * and such an addition is no change.
     */
    private List<String> changedSpecFields(MilvusUpgrade oldUpgrade, MilvusUpgrade upgrade, AdmissionContext context) {
        List<String> changed = new ArrayList<>();
        diff(specTree(oldUpgrade, context), specTree(upgrade, context), "spec", changed);
        return changed;
    }

    private JsonNode specTree(MilvusUpgrade upgrade, AdmissionContext context) {
        return ApiSerialization.json().valueToTree(defaulted(upgrade, context).getSpec());
    }

    private static void diff(JsonNode before, JsonNode after, String path, List<String> changed) {
        if (before != null && after != null && before.isObject() && after.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> diff(before.get(name), after.get(name), path + "." + name, changed));
        } else if (!Objects.equals(before, after)) {
            changed.add(path);
        }
    }
}
