package io.milvus.upgrade.plan;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusReference;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.components.MilvusImages.RunningImage;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import io.milvus.upgrade.policy.VersionMove;
import io.milvus.upgrade.version.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The safe sequence of steps from the version a Milvus runs to a target, from the policy's steps
 * as {@link VersionMove} reads them, so that the guard admits each step in turn. When no single
 * step reaches the target, it goes through the newest catalogued release (the policy's
 * {@code releases}) from which a step does, at or above the step's minimum and validated source
 * (2.5.27 for 2.6.x, 2.6.24 for 3.0.x; the step's lowest source when the catalogue has none),
 * recursively, and keeps the shortest path: the Milvus docs advise passing through the newest
 * patch of each minor. Shared by the CLI's {@code plan}, the
 * guard's denial messages and the MilvusUpgrade rules.
 */
public final class UpgradePlanner {

    /** Deeper than any documented path (2.1 → 2.5.16 → mixCoord → 2.6 is three); bounds the search. */
    private static final int MAX_WAYPOINTS = 4;

    private final UpgradePolicy policy;

    public UpgradePlanner(UpgradePolicy policy) {
        this.policy = policy;
    }

    /** From the version {@code milvus} runs now ({@link MilvusImages#running}). */
    public PlanOutcome plan(Milvus milvus, Version target) {
        List<RunningImage> running = MilvusImages.running(milvus);
        if (running.isEmpty()) {
            return new PlanOutcome.NoPath("the Milvus names no image and reports none, so the version it runs is unknown; "
                    + "set spec.components.image to the image it runs (the operator's default when it was created)");
        }
        Set<String> versions = new TreeSet<>();
        List<String> unversioned = new ArrayList<>();
        for (RunningImage image : running) {
            MilvusImages.versionOf(milvus, image.image()).ifPresentOrElse(v -> versions.add(v.toString()),
                    () -> unversioned.add(image.image() + " (" + image.readFrom() + ")"));
        }
        if (!unversioned.isEmpty()) {
            return new PlanOutcome.NoPath("the version of " + String.join(", ", unversioned)
                    + " is unknown: its tag is not a version and spec.components.version is not set");
        }
        if (versions.size() > 1) {
            return new PlanOutcome.NoPath("its components run different versions " + versions + "; bring them to one version first");
        }
        return plan(milvus, Version.of(versions.iterator().next()), target);
    }

    /** From {@code from}, the version {@code milvus} runs. */
    public PlanOutcome plan(Milvus milvus, Version from, Version target) {
        return search(milvus, from, target, MAX_WAYPOINTS)
                .<PlanOutcome>map(steps -> new PlanOutcome.Found(new SafePath(from, target, steps)))
                .orElseGet(() -> new PlanOutcome.NoPath(whyNot(from, target)));
    }

    private Optional<List<PlannedStep>> search(Milvus milvus, Version from, Version target, int waypoints) {
        Optional<List<PlannedStep>> direct = direct(milvus, from, target);
        if (direct.isPresent() || waypoints == 0 || target.isBefore(from)) return direct;
        Optional<List<PlannedStep>> best = Optional.empty();
        for (UpgradeStep step : policy.steps()) {
            Optional<Version> via = waypoint(step).filter(w -> step.to().contains(target) && from.isBefore(w) && w.isBefore(target));
            if (via.isEmpty()) continue;
            Optional<List<PlannedStep>> head = search(milvus, from, via.get(), waypoints - 1);
            if (head.isEmpty()) continue;
            Milvus there = head.get().isEmpty() ? milvus : head.get().getLast().milvusAfter();
            Optional<List<PlannedStep>> tail = direct(there, via.get(), target);
            if (tail.isEmpty()) continue;
            List<PlannedStep> path = new ArrayList<>(head.get());
            path.addAll(tail.get());
            if (best.isEmpty() || path.size() < best.get().size()) best = Optional.of(path);
        }
        return best;
    }

    /** Where the planner starts {@code step} from: the newest release at or above its planned source, else that source. */
    private Optional<Version> waypoint(UpgradeStep step) {
        Optional<Version> lowest = step.plannedSource();
        return policy.newestRelease(step.from(), lowest.orElse(null)).filter(v -> !step.excludes(v)).or(() -> lowest);
    }

    /** The steps for one move the policy admits from {@code from} to {@code target}, if it admits one. */
    private Optional<List<PlannedStep>> direct(Milvus milvus, Version from, Version target) {
        return switch (policy.move(from, target)) {
            case VersionMove.Unchanged ignored -> Optional.of(List.of());
            case VersionMove.SkipsMigration skips -> skips.migration().takes(from, target)
                    ? Optional.of(List.of(migrate(milvus, from, target))) : Optional.empty();
            case VersionMove.ExcludedSource ignored -> Optional.empty();
            case VersionMove.NoStep ignored -> Optional.empty();
            case VersionMove.Upgrade upgrade -> upgrade.step().filter(step -> step.isBelowMinimum(from) || step.isBelowValidated(from)).isPresent()
                    ? Optional.empty() : Optional.of(imageUpgrade(milvus, from, target, upgrade.step()));
            case VersionMove.Downgrade downgrade -> downgrade.allowed(false, target)
                    ? Optional.of(List.of(changeImage(milvus, milvus, from, target, false)))
                    : downgrade.allowedIfDeclared(target)
                            ? Optional.of(List.of(changeImage(milvus, MilvusEdits.declaringRollingDowngrade(milvus), from, target, true)))
                            : Optional.empty();
        };
    }

    private List<PlannedStep> imageUpgrade(Milvus milvus, Version from, Version target, Optional<UpgradeStep> step) {
        List<PlannedStep> steps = new ArrayList<>();
        Milvus current = milvus;
        if (step.map(UpgradeStep::topology).orElse(UpgradeStep.Topology.ANY) == UpgradeStep.Topology.MIX_COORD
                && MilvusTopology.runsSeparateCoordinators(current)) {
            Milvus withMixCoord = MilvusEdits.withMixCoord(current);
            steps.add(new PlannedStep.EnableMixCoord(withMixCoord, MilvusEdits.patch(current, withMixCoord)));
            current = withMixCoord;
        }
        Version rollingFrom = step.map(UpgradeStep::rollingFrom).orElse(null);
        boolean rolling = current.getSpec() != null && current.getSpec().getComponents() != null
                && Boolean.TRUE.equals(current.getSpec().getComponents().getEnableRollingUpdate());
        Milvus edited = rolling && rollingFrom != null && from.isBefore(rollingFrom) ? MilvusEdits.withoutRollingUpdate(current) : current;
        List<String> zeroReplicas = step.map(UpgradeStep::zeroReplicas).orElse(List.of());
        if (!zeroReplicas.isEmpty()) edited = MilvusEdits.withZeroReplicas(edited, zeroReplicas);
        steps.add(changeImage(current, edited, from, target, false, step.map(UpgradeStep::wholeObject).orElse(false)));
        return steps;
    }

    private PlannedStep changeImage(Milvus before, Milvus edited, Version from, Version target, boolean rollingDowngrade) {
        return changeImage(before, edited, from, target, rollingDowngrade, false);
    }

    private PlannedStep changeImage(Milvus before, Milvus edited, Version from, Version target, boolean rollingDowngrade, boolean wholeObject) {
        Milvus after = MilvusEdits.withVersion(edited, target, policy.defaultRepository());
        return new PlannedStep.ChangeImage(from, target, imageNamed(after, target), rollingDowngrade, wholeObject, after,
                MilvusEdits.patch(before, after));
    }

    private PlannedStep migrate(Milvus milvus, Version from, Version target) {
        Milvus after = MilvusEdits.withVersion(milvus, target, policy.defaultRepository());
        String image = imageNamed(after, target);
        MilvusUpgrade upgrade = new MilvusUpgrade();
        upgrade.getMetadata().setName(upgradeName(milvus.getMetadata().getName(), target));
        upgrade.getMetadata().setNamespace(milvus.getMetadata().getNamespace());
        MilvusUpgradeSpec spec = new MilvusUpgradeSpec();
        spec.setMilvus(new MilvusReference(milvus.getMetadata().getNamespace(), milvus.getMetadata().getName()));
        spec.setSourceVersion(from.toString());
        spec.setTargetVersion(target.toString());
        spec.setTargetImage(image);
        upgrade.setSpec(spec);
        return new PlannedStep.MigrateMetadata(from, target, image, upgrade, after, MilvusEdits.patch(milvus, after));
    }

    private String imageNamed(Milvus after, Version target) {
        String global = MilvusEdits.globalImage(after);
        return global != null ? global : MilvusImages.declared(after).values().stream().findFirst()
                .orElse(ImageReference.of(policy.defaultRepository(), target.imageTag()));
    }

    /** {@code my-release-upgrade-2-5-16}: a DNS subdomain of at most 253 characters. */
    static String upgradeName(String milvus, Version target) {
        String suffix = "-upgrade-" + target.toString().replaceAll("[^0-9a-z-]", "-");
        return (milvus.length() + suffix.length() > 253 ? milvus.substring(0, 253 - suffix.length()) : milvus) + suffix;
    }

    private String whyNot(Version from, Version target) {
        return switch (policy.move(from, target)) {
            case VersionMove.Downgrade downgrade -> downgrade.undoes().isPresent()
                    ? "the policy's step " + downgrade.undoes().get() + " allows no downgrade"
                            + (downgrade.undoes().get().rollingFrom() == null ? "" : " to a version before " + downgrade.undoes().get().rollingFrom())
                            + ": the older version cannot read the metadata the newer one wrote"
                    : "downgrading from " + from.minorLine() + " to " + target.minorLine()
                            + " goes back across a metadata migration or a step that allows none; after a MilvusUpgrade, set its operation to rollback";
            case VersionMove.ExcludedSource excluded -> "the policy's steps into " + excluded.step().to() + " never start from " + from
                    + " (no direct upgrade from it is documented); no other step leads from it to " + target;
            default -> "no sequence of the policy's steps leads from " + from + " to " + target + "; the policy's steps: "
                    + policy.steps().stream().map(UpgradeStep::toString).toList()
                    + " (an admin adds the next release's step to the policy file)";
        };
    }
}
