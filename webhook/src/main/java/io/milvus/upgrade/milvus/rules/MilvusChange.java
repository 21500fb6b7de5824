package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.plan.PlanOutcome;
import io.milvus.upgrade.plan.UpgradePlanner;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.policy.UpgradeStep;
import io.milvus.upgrade.policy.VersionMove;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An update of a Milvus as the guard's rules see it: both objects, the image changes, and what
 * the cluster says about upgrades of this Milvus. On create, {@code old} is null and there are no
 * image changes.
 */
public record MilvusChange(
        Milvus old,
        Milvus milvus,
        List<ImageChange> images,
        UpgradePolicy policy,
        AdmissionContext context,
        Lookup<List<MilvusUpgrade>> upgrades) {

    public MilvusChange {
        images = List.copyOf(images);
    }

    /** A new Milvus: nothing changes, so no upgrades are read. */
    public static MilvusChange ofCreate(Milvus milvus, UpgradePolicy policy, AdmissionContext context) {
        return new MilvusChange(null, milvus, List.of(), policy, context, new Lookup.NotFound<>());
    }

    /** An update; the cluster is asked for upgrades of this Milvus only when an image changes. */
    public static MilvusChange ofUpdate(Milvus old, Milvus milvus, UpgradePolicy policy, AdmissionContext context, ClusterLookup cluster) {
        List<ImageChange> images = ImageChanges.between(old, milvus, policy);
        Lookup<List<MilvusUpgrade>> upgrades = images.isEmpty() ? new Lookup.NotFound<>()
                : cluster.upgradesOf(namespaceOf(milvus, context), nameOf(milvus));
        return new MilvusChange(old, milvus, images, policy, context, upgrades);
    }

    public boolean isCreate() {
        return old == null;
    }

    /** {@code namespace/name}. */
    public String name() {
        return namespaceOf(milvus, context) + "/" + nameOf(milvus);
    }

    private static String namespaceOf(Milvus milvus, AdmissionContext context) {
        String own = milvus.getMetadata() == null ? null : milvus.getMetadata().getNamespace();
        return own == null || own.isEmpty() ? context.namespace() : own;
    }

    private static String nameOf(Milvus milvus) {
        return milvus.getMetadata() == null ? "" : milvus.getMetadata().getName();
    }

    /** The new spec declares a downgrade: {@code spec.components.imageUpdateMode: rollingDowngrade}. */
    public boolean declaresRollingDowngrade() {
        MilvusComponents components = milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
        return components != null && MilvusComponents.ROLLING_DOWNGRADE.equals(components.getImageUpdateMode());
    }

    /** A policy step an image change of this update takes (the first change that takes each step). */
    public record TakenStep(UpgradeStep step, Version from, Version to) {
    }

    public List<TakenStep> stepsTaken() {
        Map<UpgradeStep, TakenStep> taken = new LinkedHashMap<>();
        for (ImageChange image : images) {
            if (image.move(policy).orElse(null) instanceof VersionMove.Upgrade upgrade && upgrade.step().isPresent()) {
                taken.putIfAbsent(upgrade.step().get(), new TakenStep(upgrade.step().get(), image.fromVersion().orElseThrow(),
                        image.toVersion().orElseThrow()));
            }
        }
        return List.copyOf(taken.values());
    }

    /** The safe path the old Milvus has to {@code to}, for denials: "the safe path: ..." or why there is none. */
    public String safePath(Version from, Version to) {
        return switch (new UpgradePlanner(policy).plan(old, from, to)) {
            case PlanOutcome.Found found -> "the safe path: " + found.path().describe()
                    + " (java -jar milvus-webhook.jar plan prints each step)";
            case PlanOutcome.NoPath none -> "there is no safe path: " + none.why();
        };
    }
}
