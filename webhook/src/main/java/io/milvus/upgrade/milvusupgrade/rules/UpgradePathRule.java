package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.plan.PlanOutcome;
import io.milvus.upgrade.plan.PlannedStep;
import io.milvus.upgrade.plan.UpgradePlanner;
import io.milvus.upgrade.policy.MigrationPath;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;
import java.util.Map;
import java.util.Optional;

/**
 * The target is newer than the source (for {@code operation: upgrade}), and source and target
 * form a migration path of the policy (2.0/2.1 to 2.2-2.5 built in). Otherwise the message says
 * what to do instead, from the planner, so that it never advises a step the guard would deny:
 * 2.5.3 → 2.6.11 needs 2.5.16 first, not an image change to 2.6.11.
 */
public final class UpgradePathRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        if (review.source().isEmpty() || review.target().isEmpty()) return;
        Version source = review.source().get();
        Version target = review.target().get();
        if (!review.isRollback() && !source.isBefore(target)) {
            report.error(FieldError.invalid("spec.targetVersion", quote(target.toString()) + ": must be newer than sourceVersion "
                    + source + "; to go back after an upgrade, set operation: rollback on that MilvusUpgrade"));
            return;
        }
        UpgradePolicy policy = report.policy();
        if (source.isBefore(policy.lowestSource()) || target.isBefore(policy.lowestTarget()) || policy.pathFor(source, target).isPresent()) {
            return; // allowed, or already reported with its own message
        }
        String which = review.milvusRef().map(ref -> "Milvus " + ref).orElse("the Milvus");
        Optional<PlanOutcome> plan = review.isRollback() ? Optional.empty()
                : Optional.of(new UpgradePlanner(policy).plan(milvusFor(review, source), source, target));
        if (policy.migrationSkippedBy(source, target).isEmpty()) {
            report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                    + ": no metadata migration is needed between " + source.minorLine() + " and " + target.minorLine() + ": "
                    + imageAdvice(review, which, plan) + " instead of creating a MilvusUpgrade"));
            return;
        }
        Optional<MigrationPath> fromHere = policy.migrationPaths().stream().filter(p -> p.source().contains(source)).findFirst();
        if (fromHere.isPresent() && target.isAtLeast(fromHere.get().boundary())) {
            report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.targetVersion", quote(target.toString())
                    + ": a MilvusUpgrade from " + source.minorLine() + " migrates to " + fromHere.get().target() + " only; "
                    + plan.map(p -> pathAdvice(p, which)).orElse("create one to a version in " + fromHere.get().target() + " first")));
            return;
        }
        report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                + ": the policy has no migration path from " + source + " to " + target + "; allowed: "
                + policy.migrationPaths().stream().map(p -> p.source() + " to " + p.target()).toList()));
    }

    /** "change spec.components.image of Milvus ns/name to IMAGE" when one image change does it, else the safe path. */
    private static String imageAdvice(UpgradeUnderReview review, String which, Optional<PlanOutcome> plan) {
        if (plan.isPresent() && plan.get() instanceof PlanOutcome.Found found && found.path().steps().size() == 1
                && found.path().steps().getFirst() instanceof PlannedStep.ChangeImage) {
            String image = review.spec().getTargetImage() == null ? review.policy().defaultTargetImage(review.spec().getTargetVersion())
                    : review.spec().getTargetImage();
            return "change spec.components.image of " + which + " to " + image;
        }
        return plan.map(p -> pathAdvice(p, which)).orElse("change spec.components.image of " + which);
    }

    private static String pathAdvice(PlanOutcome plan, String which) {
        return switch (plan) {
            case PlanOutcome.Found found -> found.path().describe().replaceFirst(", then ", " first, then ") + " (" + which + ")";
            case PlanOutcome.NoPath none -> "the policy has no safe path for " + which + ": " + none.why();
        };
    }

    /** The Milvus as the cluster has it, or one that runs {@code source} when it cannot be read. */
    private static Milvus milvusFor(UpgradeUnderReview review, Version source) {
        if (review.milvusRef().isPresent() && review.milvus() instanceof Lookup.Found<Milvus> found) return found.value();
        Milvus assumed = ApiSerialization.json().convertValue(Map.of("apiVersion", "milvus.io/v1beta1", "kind", "Milvus",
                "metadata", Map.of("name", review.milvusRef().map(UpgradeUnderReview.MilvusRef::name).orElse("milvus"),
                        "namespace", review.milvusRef().map(UpgradeUnderReview.MilvusRef::namespace).orElse("default")),
                "spec", Map.of("components", Map.of("image", review.policy().defaultTargetImage(source.toString())))), Milvus.class);
        return assumed;
    }
}
