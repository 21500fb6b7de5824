package io.milvus.upgrade.milvusupgrade;

import static io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec.OPERATION_ROLLBACK;
import static io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec.OPERATION_UPGRADE;
import static io.milvus.upgrade.api.FieldValues.isUnset;
import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.components.MilvusImages.RunningImage;
import io.milvus.upgrade.policy.ImageReferenceRule;
import io.milvus.upgrade.policy.MigrationPath;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.version.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spec section 2: which MilvusUpgrades may be created, and how a started one may change. Every
 * broken rule is reported at once, each on its field; version comparisons are skipped for a
 * version that did not parse, whose own error already says why.
 *
 * <p>An empty spec gets four errors: {@code spec.milvus.name}, {@code spec.sourceVersion} and
 * {@code spec.targetVersion} are required, and {@code spec.targetImage}, which the controller
 * starts, is then missing too (its message says that it defaults from targetVersion).
 *
 * <p>Cluster reads (the Milvus, other MilvusUpgrades) never fail a review: when the cluster cannot
 * answer, the request is allowed with a warning that names the Milvus and the reason.
 */
public final class MilvusUpgradeValidator implements Validator<MilvusUpgrade> {

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
        return creationRules(upgrade, context).verdict();
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
        String state = oldUpgrade.getStatus() == null ? null : oldUpgrade.getStatus().getState();
        if (isUnset(state)) {
            return creationRules(upgrade, context).verdict();
        }
        return frozenSpec(oldUpgrade, upgrade, changed, state).verdict();
    }

    private RuleReport creationRules(MilvusUpgrade upgrade, AdmissionContext context) {
        RuleReport report = RuleReport.under(policy.current());
        MilvusUpgradeSpec spec = upgrade.getSpec() == null ? new MilvusUpgradeSpec() : upgrade.getSpec();
        Optional<MilvusRef> milvus = requireMilvus(report, upgrade, context);
        Optional<Version> source = version(report, "spec.sourceVersion", spec.getSourceVersion());
        Optional<Version> target = version(report, "spec.targetVersion", spec.getTargetVersion());
        source.ifPresent(s -> sourceIsSupported(report, s));
        target.ifPresent(t -> targetIsSupported(report, t));
        operation(report, spec.getOperation());
        if (source.isPresent() && target.isPresent() && targetIsNewer(report, spec, source.get(), target.get())) {
            migrationPath(report, milvus, spec, source.get(), target.get());
        }
        targetImage(report, spec, target);
        toolImage(report, spec, source, target);
        maxRetry(report, spec.getMaxRetry());
        milvus.ifPresent(ref -> {
            source.ifPresent(s -> sourceMatchesRunningMilvus(report, ref, s));
            oneUnfinishedUpgrade(report, ref, upgrade.getMetadata() == null ? null : upgrade.getMetadata().getName());
        });
        return report;
    }

    private static Optional<MilvusRef> requireMilvus(RuleReport report, MilvusUpgrade upgrade, AdmissionContext context) {
        MilvusUpgradeSpec spec = upgrade.getSpec();
        if (spec == null || spec.getMilvus() == null || isUnset(spec.getMilvus().getName())) {
            report.error(FieldError.required("spec.milvus.name", "name the Milvus to upgrade (in spec.milvus.namespace, default: this namespace)"));
            return Optional.empty();
        }
        return Optional.of(MilvusRef.of(upgrade, context));
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

    /** At least the policy's lowest source; its pre-releases ({@code 2.0.0-rc1}) sort below it. */
    private static void sourceIsSupported(RuleReport report, Version source) {
        Version lowest = report.policy().lowestSource();
        if (source.isBefore(lowest)) {
            report.error(FieldError.invalid("spec.sourceVersion", quote(source.toString()) + ": must be " + lowest
                    + " or later" + (source.release().sameAs(lowest) ? " (pre-releases of " + lowest + " cannot be migrated)" : "")
                    + "; move to " + lowest + " or later by changing the Milvus image first"));
        }
    }

    /** At least the policy's lowest target; its pre-releases ({@code 2.2.0-rc1}) sort below it. */
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

    /** For {@code operation: upgrade}, the target is newer than the source; false when it is not. */
    private static boolean targetIsNewer(RuleReport report, MilvusUpgradeSpec spec, Version source, Version target) {
        if (OPERATION_ROLLBACK.equals(spec.getOperation()) || source.isBefore(target)) {
            return true;
        }
        report.error(FieldError.invalid("spec.targetVersion", quote(target.toString()) + ": must be newer than sourceVersion "
                + source + "; to go back after an upgrade, set operation: rollback on that MilvusUpgrade"));
        return false;
    }

    /** A migration path of the policy; otherwise what to do instead. */
    private void migrationPath(RuleReport report, Optional<MilvusRef> milvus, MilvusUpgradeSpec spec, Version source, Version target) {
        UpgradePolicy policy = report.policy();
        if (source.isBefore(policy.lowestSource()) || target.isBefore(policy.lowestTarget()) || policy.pathFor(source, target).isPresent()) {
            return; // allowed, or already reported with its own message
        }
        String which = milvus.map(ref -> "Milvus " + ref).orElse("the Milvus");
        if (policy.migrationSkippedBy(source, target).isEmpty()) {
            String image = isUnset(spec.getTargetImage()) ? policy.defaultTargetImage(spec.getTargetVersion()) : spec.getTargetImage();
            report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                    + ": no metadata migration is needed between " + source.minorLine() + " and " + target.minorLine()
                    + ": change spec.components.image of " + which + " to " + image + " instead of creating a MilvusUpgrade"));
            return;
        }
        Optional<MigrationPath> fromHere = policy.migrationPaths().stream().filter(p -> p.source().contains(source)).findFirst();
        if (fromHere.isPresent() && target.isAtLeast(fromHere.get().boundary())) {
            Version via = fromHere.get().boundary();
            report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.targetVersion", quote(target.toString())
                    + ": a MilvusUpgrade from " + source.minorLine() + " migrates to " + fromHere.get().target() + " only; upgrade to "
                    + via.minorLine() + " with a MilvusUpgrade first, then change the image to " + target.minorLine()
                    + " (spec.components.image of " + which + ")"));
            return;
        }
        report.rule(PolicyRule.UPGRADE_PATH, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                + ": the policy has no migration path from " + source + " to " + target + "; allowed: "
                + policy.migrationPaths().stream().map(p -> p.source() + " to " + p.target()).toList()));
    }

    /** Pinned, from an allowed repository, and tagged with targetVersion when tagged with a version. */
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
                    + tagged.get() + " but targetVersion is " + target.get() + "; tag it " + target.get().imageTag()
                    + " or leave targetImage out to default it"));
        }
    }

    /** Pinned, from an allowed repository, and the policy's image for the target (a warning by default). */
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
                    + expected.map(e -> " (" + e + "); leave toolImage out to use it").orElse(" (the policy names none)")));
        }
    }

    private static void maxRetry(RuleReport report, Integer maxRetry) {
        int limit = report.policy().maxRetryLimit();
        if (maxRetry != null && (maxRetry < 0 || maxRetry > limit)) {
            report.error(FieldError.invalid("spec.maxRetry", maxRetry + ": must be between 0 and " + limit));
        }
    }

    /** sourceVersion is what every running component of the Milvus runs now ({@link MilvusImages#running}). */
    private void sourceMatchesRunningMilvus(RuleReport report, MilvusRef milvus, Version source) {
        switch (cluster.milvus(milvus.namespace(), milvus.name())) {
            case Lookup.Found<Milvus> found -> compareRunningVersions(report, milvus, source, MilvusImages.running(found.value()));
            case Lookup.NotFound<Milvus> ignored -> report.warn("Milvus " + milvus
                    + " was not found, so sourceVersion could not be checked; the upgrade waits until it exists, check spec.milvus");
            case Lookup.Unavailable<Milvus> unavailable -> report.warn("could not read Milvus " + milvus
                    + " to check sourceVersion: " + unavailable.reason());
        }
    }

    private static void compareRunningVersions(RuleReport report, MilvusRef milvus, Version source, List<RunningImage> running) {
        if (running.isEmpty()) {
            report.warn("Milvus " + milvus + " names no image (it runs the operator's default), so sourceVersion " + source
                    + " could not be checked");
            return;
        }
        Map<String, List<RunningImage>> byImage = running.stream()
                .collect(Collectors.groupingBy(RunningImage::image, LinkedHashMap::new, Collectors.toList()));
        Set<String> versions = new LinkedHashSet<>();
        List<String> mismatches = new ArrayList<>();
        byImage.forEach((image, components) -> {
            String where = image + " (" + components.stream().map(RunningImage::readFrom).distinct().collect(Collectors.joining(", ")) + ")";
            Optional<Version> version = ImageReference.parse(image).tagVersion();
            version.ifPresent(v -> versions.add(v.toString()));
            if (version.isEmpty()) {
                report.warn("Milvus " + milvus + " runs " + where + ", whose tag is not a version: make sure it is " + source);
            } else if (!version.get().sameAs(source)) {
                mismatches.add(where);
            }
        });
        if (mismatches.isEmpty()) {
            return;
        }
        String instead = versions.size() == 1
                ? "set sourceVersion to " + versions.iterator().next() + ", the version it runs now"
                : "its components run different versions " + versions + "; bring them to one version first";
        report.rule(PolicyRule.SOURCE_MATCHES_RUNNING, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                + ": Milvus " + milvus + " runs " + String.join(", ", mismatches) + "; " + instead));
    }

    /** No other unfinished MilvusUpgrade of the same Milvus; the object itself is excluded by name. */
    private void oneUnfinishedUpgrade(RuleReport report, MilvusRef milvus, String self) {
        switch (cluster.upgradesOf(milvus.namespace(), milvus.name())) {
            case Lookup.Found<List<MilvusUpgrade>> found -> found.value().stream()
                    .filter(other -> other.getMetadata() != null && !Objects.equals(other.getMetadata().getName(), self))
                    .filter(MilvusUpgradeValidator::isUnfinished)
                    .findFirst()
                    .ifPresent(other -> report.rule(PolicyRule.ONE_ACTIVE_UPGRADE, FieldError.forbidden("spec.milvus.name",
                            "MilvusUpgrade " + other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()
                                    + " is still working on Milvus " + milvus + " (state " + stateOf(other)
                                    + "); wait until it finishes, or delete it if it has not started")));
            case Lookup.NotFound<List<MilvusUpgrade>> ignored -> {
            }
            case Lookup.Unavailable<List<MilvusUpgrade>> unavailable -> report.warn("could not check for other MilvusUpgrades of Milvus "
                    + milvus + ": " + unavailable.reason());
        }
    }

    /** Once the controller started, only operation upgrade → rollback may change. */
    private RuleReport frozenSpec(MilvusUpgrade oldUpgrade, MilvusUpgrade upgrade, List<String> changed, String state) {
        RuleReport report = RuleReport.under(policy.current());
        String oldOperation = operationOf(oldUpgrade);
        String newOperation = operationOf(upgrade);
        if (!oldOperation.equals(newOperation)) {
            if (OPERATION_ROLLBACK.equals(oldOperation)) {
                report.error(FieldError.forbidden("spec.operation", "a rollback cannot be turned back into an upgrade; "
                        + "once it has finished, create a new MilvusUpgrade"));
            } else {
                operation(report, newOperation);
            }
        }
        changed.stream().filter(field -> !field.equals("spec.operation")).forEach(field -> report.error(FieldError.forbidden(field,
                "cannot change once the upgrade has started (state " + state + "); only operation: upgrade → rollback is allowed. "
                        + "Create a new MilvusUpgrade for another upgrade")));
        return report;
    }

    private static String operationOf(MilvusUpgrade upgrade) {
        String operation = upgrade.getSpec() == null ? null : upgrade.getSpec().getOperation();
        return isUnset(operation) ? OPERATION_UPGRADE : operation;
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
        MilvusUpgrade copy = ApiSerialization.json().convertValue(upgrade, MilvusUpgrade.class);
        defaulter.applyDefaults(copy, context);
        return ApiSerialization.json().valueToTree(copy.getSpec());
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

    static boolean isUnfinished(MilvusUpgrade upgrade) {
        Boolean rollbackIfFailed = upgrade.getSpec() == null ? null : upgrade.getSpec().getRollbackIfFailed();
        return UpgradeState.isUnfinished(upgrade.getStatus() == null ? null : upgrade.getStatus().getState(), rollbackIfFailed);
    }

    private static String stateOf(MilvusUpgrade upgrade) {
        String state = upgrade.getStatus() == null ? null : upgrade.getStatus().getState();
        return isUnset(state) ? "not started yet" : state;
    }

    /** The Milvus a MilvusUpgrade names, its namespace defaulted as the defaulter does. */
    private record MilvusRef(String namespace, String name) {

        static MilvusRef of(MilvusUpgrade upgrade, AdmissionContext context) {
            return new MilvusRef(upgrade.milvusNamespace(context.namespace()), upgrade.milvusName());
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }
}
