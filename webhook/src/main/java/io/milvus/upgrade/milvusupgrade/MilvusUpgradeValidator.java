package io.milvus.upgrade.milvusupgrade;

import static io.milvus.upgrade.milvusupgrade.MilvusUpgradeDefaulter.OPERATION_ROLLBACK;
import static io.milvus.upgrade.milvusupgrade.MilvusUpgradeDefaulter.OPERATION_UPGRADE;
import static io.milvus.upgrade.milvusupgrade.MilvusUpgradeDefaulter.isUnset;
import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.FieldError;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.admission.Verdict;
import io.milvus.upgrade.api.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.milvus.MilvusImages;
import io.milvus.upgrade.policy.ImageReferenceRule;
import io.milvus.upgrade.policy.MigrationPath;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.version.Version;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spec section 2: which MilvusUpgrades may be created, and how a started one may change. Every
 * broken rule is reported at once, each on its field; version comparisons are skipped for a
 * version that did not parse, whose own error already says why.
 */
public final class MilvusUpgradeValidator implements Validator<MilvusUpgrade> {

    private final PolicySource policy;
    private final ClusterLookup cluster;

    public MilvusUpgradeValidator(PolicySource policy, ClusterLookup cluster) {
        this.policy = policy;
        this.cluster = cluster;
    }

    @Override
    public Verdict validateCreate(MilvusUpgrade upgrade, AdmissionContext context) {
        return validateSpec(upgrade, context).verdict();
    }

    @Override
    public Verdict validateUpdate(MilvusUpgrade oldUpgrade, MilvusUpgrade upgrade, AdmissionContext context) {
        String state = oldUpgrade.getStatus() == null ? null : oldUpgrade.getStatus().getState();
        if (isUnset(state)) {
            return validateSpec(upgrade, context).verdict();
        }
        return frozenSpec(oldUpgrade, upgrade, state).verdict();
    }

    private RuleReport validateSpec(MilvusUpgrade upgrade, AdmissionContext context) {
        RuleReport report = RuleReport.under(policy.current());
        MilvusUpgradeSpec spec = upgrade.getSpec() == null ? new MilvusUpgradeSpec() : upgrade.getSpec();
        requireMilvus(report, spec);
        Optional<Version> source = version(report, "spec.sourceVersion", spec.getSourceVersion());
        Optional<Version> target = version(report, "spec.targetVersion", spec.getTargetVersion());
        source.ifPresent(s -> sourceIsSupported(report, s));
        target.ifPresent(t -> targetIsSupported(report, t));
        operation(report, spec.getOperation());
        if (source.isPresent() && target.isPresent()) {
            upgradePath(report, spec, source.get(), target.get());
        }
        targetImage(report, spec, target);
        toolImage(report, spec, source, target);
        maxRetry(report, spec.getMaxRetry());
        if (!report.hasErrors() && spec.getMilvus() != null && !isUnset(spec.getMilvus().getName())) {
            String namespace = milvusNamespace(upgrade, context);
            source.ifPresent(s -> sourceMatchesRunningMilvus(report, namespace, spec.getMilvus().getName(), s));
            oneUnfinishedUpgrade(report, namespace, spec.getMilvus().getName(), upgrade.getMetadata() == null ? null : upgrade.getMetadata().getName());
        }
        return report;
    }

    private static void requireMilvus(RuleReport report, MilvusUpgradeSpec spec) {
        if (spec.getMilvus() == null || isUnset(spec.getMilvus().getName())) {
            report.error(FieldError.required("spec.milvus.name", "name the Milvus to upgrade (in spec.milvus.namespace, default: this namespace)"));
        }
    }

    private static Optional<Version> version(RuleReport report, String field, String text) {
        if (isUnset(text)) {
            report.error(FieldError.required(field, "a version such as 2.2.0 (a leading v is optional)"));
            return Optional.empty();
        }
        Optional<Version> version = Version.parse(text);
        if (version.isEmpty()) {
            report.error(FieldError.invalid(field, quote(text)
                    + ": not a semantic version; write MAJOR.MINOR.PATCH such as 2.2.0 or v2.2.0 (lower-case v, no leading zeros)"));
        }
        return version;
    }

    private static void sourceIsSupported(RuleReport report, Version source) {
        Version lowest = report.policy().lowestSource();
        if (source.isBefore(lowest)) {
            report.error(FieldError.invalid("spec.sourceVersion", quote(source.toString()) + ": must be " + lowest
                    + " or later" + (source.release().sameAs(lowest) ? " (pre-releases of " + lowest + " cannot be migrated)" : "")
                    + "; move to " + lowest + " or later by changing the Milvus image first"));
        }
    }

    private static void targetIsSupported(RuleReport report, Version target) {
        Version lowest = report.policy().lowestTarget();
        if (target.isBefore(lowest)) {
            report.error(FieldError.invalid("spec.targetVersion", quote(target.toString()) + ": must be " + lowest
                    + " or later" + (target.release().sameAs(lowest) ? ", not a pre-release of " + lowest : "")
                    + "; a MilvusUpgrade migrates metadata to " + lowest.minorLine()
                    + ", other versions change by editing spec.components.image of the Milvus"));
        }
    }

    private static void operation(RuleReport report, String operation) {
        if (!isUnset(operation) && !OPERATION_UPGRADE.equals(operation) && !OPERATION_ROLLBACK.equals(operation)) {
            report.error(new FieldError(FieldError.Type.NOT_SUPPORTED, "spec.operation",
                    quote(operation) + ": supported values: \"upgrade\", \"rollback\""));
        }
    }

    /** Newer target, and a migration path of the policy; otherwise what to do instead. */
    private static void upgradePath(RuleReport report, MilvusUpgradeSpec spec, Version source, Version target) {
        UpgradePolicy policy = report.policy();
        boolean upgrading = !OPERATION_ROLLBACK.equals(spec.getOperation());
        if (upgrading && !source.isBefore(target)) {
            report.error(FieldError.invalid("spec.targetVersion", quote(target.toString()) + ": must be newer than sourceVersion "
                    + source + "; to go back after an upgrade, set operation: rollback on that MilvusUpgrade"));
            return;
        }
        if (source.isBefore(policy.lowestSource()) || target.isBefore(policy.lowestTarget())) {
            return; // already reported with its own message
        }
        if (policy.pathFor(source, target).isPresent()) {
            return;
        }
        Optional<MigrationPath> fromHere = policy.migrationPaths().stream().filter(p -> p.source().contains(source)).findFirst();
        if (fromHere.isPresent()) {
            Version via = fromHere.get().boundary();
            report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.targetVersion", quote(target.toString())
                    + ": a MilvusUpgrade from " + source.minorLine() + " migrates to " + fromHere.get().target() + " only; upgrade to "
                    + via.minorLine() + " with a MilvusUpgrade first, then change the image to " + target.minorLine()));
        } else if (policy.migrationPaths().stream().anyMatch(p -> source.isAtLeast(p.boundary()))) {
            report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                    + ": no metadata migration is needed between " + source.minorLine() + " and " + target.minorLine()
                    + ": change spec.components.image of the Milvus to " + spec.getTargetImage() + " instead of creating a MilvusUpgrade"));
        } else {
            report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                    + ": the policy has no migration path from " + source + " to " + target + "; allowed: "
                    + policy.migrationPaths().stream().map(p -> p.source() + " to " + p.target()).toList()));
        }
    }

    private static void targetImage(RuleReport report, MilvusUpgradeSpec spec, Optional<Version> target) {
        String image = spec.getTargetImage();
        if (isUnset(image)) {
            report.error(FieldError.required("spec.targetImage", "the image to start after the migration; it defaults from spec.targetVersion"));
            return;
        }
        ImageReferenceRule.check(report, "spec.targetImage", image);
        ImageReference ref = ImageReference.parse(image);
        if (ref.isDigestPinned()) {
            report.warn("spec.targetImage " + image + " is pinned by digest: make sure it is version "
                    + target.map(Version::toString).orElse(spec.getTargetVersion()) + ", the webhook cannot tell");
            return;
        }
        Optional<Version> tagged = ref.tagVersion();
        if (target.isPresent() && tagged.isPresent() && !tagged.get().sameAs(target.get())) {
            report.rule(PolicyRule.TARGET_IMAGE_VERSION, FieldError.invalid("spec.targetImage", quote(image) + ": its tag is version "
                    + tagged.get() + " but targetVersion is " + target.get() + "; tag it " + target.get().withV()
                    + " or leave targetImage out to default it"));
        }
    }

    private static void toolImage(RuleReport report, MilvusUpgradeSpec spec, Optional<Version> source, Optional<Version> target) {
        String image = spec.getToolImage();
        Optional<String> expected = target.flatMap(report.policy()::toolImageFor);
        if (isUnset(image)) {
            boolean pathAllowed = source.isPresent() && target.isPresent() && report.policy().pathFor(source.get(), target.get()).isPresent();
            if (pathAllowed) {
                report.error(FieldError.required("spec.toolImage", "the policy names no meta-migration image for " + target.get()
                        + "; set spec.toolImage"));
            }
            return;
        }
        ImageReferenceRule.check(report, "spec.toolImage", image);
        if (target.isPresent() && !expected.map(image::equals).orElse(false)) {
            report.rule(PolicyRule.TOOL_IMAGE, FieldError.invalid("spec.toolImage", quote(image)
                    + " is not the policy's migration image for " + target.get()
                    + expected.map(e -> " (" + e + ")").orElse(" (the policy names none)")));
        }
    }

    private static void maxRetry(RuleReport report, Integer maxRetry) {
        int limit = report.policy().maxRetryLimit();
        if (maxRetry != null && (maxRetry < 0 || maxRetry > limit)) {
            report.error(FieldError.invalid("spec.maxRetry", maxRetry + ": must be between 0 and " + limit));
        }
    }

    private void sourceMatchesRunningMilvus(RuleReport report, String namespace, String name, Version source) {
        switch (cluster.milvus(namespace, name)) {
            case Lookup.Found<Milvus> found -> {
                Map<String, String> images = MilvusImages.declared(found.value());
                if (images.isEmpty()) {
                    report.warn("Milvus " + namespace + "/" + name + " names no image, so sourceVersion " + source + " could not be checked");
                }
                images.forEach((field, image) -> {
                    Optional<Version> running = ImageReference.parse(image).tagVersion();
                    if (running.isEmpty()) {
                        report.warn("Milvus " + namespace + "/" + name + " runs " + image + " (" + field
                                + "), whose tag is not a version: make sure it is " + source);
                    } else if (!running.get().sameAs(source)) {
                        report.rule(PolicyRule.SOURCE_MATCHES_RUNNING, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                                + ": Milvus " + namespace + "/" + name + " runs " + image + " (" + field + "); set sourceVersion to "
                                + running.get() + ", the version it runs now"));
                    }
                });
            }
            case Lookup.NotFound<Milvus> ignored -> report.warn("Milvus " + namespace + "/" + name
                    + " was not found; the upgrade starts once it exists, check spec.milvus");
            case Lookup.Unavailable<Milvus> unavailable -> report.warn("could not read Milvus " + namespace + "/" + name
                    + " to check sourceVersion: " + unavailable.reason());
        }
    }

    private void oneUnfinishedUpgrade(RuleReport report, String namespace, String milvus, String self) {
        switch (cluster.upgradesOf(namespace, milvus)) {
            case Lookup.Found<List<MilvusUpgrade>> found -> found.value().stream()
                    .filter(other -> !java.util.Objects.equals(other.getMetadata().getName(), self))
                    .filter(MilvusUpgradeValidator::isUnfinished)
                    .findFirst()
                    .ifPresent(other -> report.rule(PolicyRule.ONE_ACTIVE_UPGRADE, FieldError.forbidden("spec.milvus.name",
                            "MilvusUpgrade " + other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()
                                    + " is still working on Milvus " + namespace + "/" + milvus + " (state "
                                    + stateOf(other) + "); wait until it finishes or delete it")));
            case Lookup.NotFound<List<MilvusUpgrade>> ignored -> {
            }
            case Lookup.Unavailable<List<MilvusUpgrade>> unavailable -> report.warn("could not check for other MilvusUpgrades of Milvus "
                    + namespace + "/" + milvus + ": " + unavailable.reason());
        }
    }

    /** Once the controller started, only operation upgrade → rollback may change. */
    private RuleReport frozenSpec(MilvusUpgrade oldUpgrade, MilvusUpgrade upgrade, String state) {
        RuleReport report = RuleReport.under(policy.current());
        MilvusUpgradeSpec before = oldUpgrade.getSpec() == null ? new MilvusUpgradeSpec() : oldUpgrade.getSpec();
        MilvusUpgradeSpec after = upgrade.getSpec() == null ? new MilvusUpgradeSpec() : upgrade.getSpec();
        String oldOperation = isUnset(before.getOperation()) ? OPERATION_UPGRADE : before.getOperation();
        String newOperation = isUnset(after.getOperation()) ? OPERATION_UPGRADE : after.getOperation();
        if (!oldOperation.equals(newOperation)) {
            if (OPERATION_ROLLBACK.equals(oldOperation)) {
                report.error(FieldError.forbidden("spec.operation", "a rollback cannot be turned back into an upgrade; "
                        + "once it has finished, create a new MilvusUpgrade"));
            } else {
                operation(report, newOperation);
            }
        }
        for (String field : changedFields(before, after)) {
            if (!field.equals("operation")) {
                report.error(FieldError.forbidden("spec." + field, "cannot change once the upgrade has started (state " + state
                        + "); only operation: upgrade → rollback is allowed. Create a new MilvusUpgrade for another upgrade"));
            }
        }
        return report;
    }

    private static List<String> changedFields(MilvusUpgradeSpec before, MilvusUpgradeSpec after) {
        JsonNode a = ApiSerialization.json().valueToTree(before);
        JsonNode b = ApiSerialization.json().valueToTree(after);
        List<String> changed = new ArrayList<>();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!a.get(name).equals(b.get(name))) changed.add(name);
        }
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!a.has(name)) changed.add(name);
        }
        return changed;
    }

    static boolean isUnfinished(MilvusUpgrade upgrade) {
        Boolean rollbackIfFailed = upgrade.getSpec() == null ? null : upgrade.getSpec().getRollbackIfFailed();
        return UpgradeState.isUnfinished(upgrade.getStatus() == null ? null : upgrade.getStatus().getState(), rollbackIfFailed);
    }

    private static String stateOf(MilvusUpgrade upgrade) {
        String state = upgrade.getStatus() == null ? null : upgrade.getStatus().getState();
        return isUnset(state) ? "not started yet" : state;
    }

    private static String milvusNamespace(MilvusUpgrade upgrade, AdmissionContext context) {
        String named = upgrade.getSpec().getMilvus().getNamespace();
        if (!isUnset(named)) return named;
        String own = upgrade.getMetadata() == null ? null : upgrade.getMetadata().getNamespace();
        return isUnset(own) ? context.namespace() : own;
    }
}
