package io.milvus.upgrade.milvus;

import io.milvus.upgrade.components.MilvusImages;

import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.policy.GuardOverride;
import io.milvus.upgrade.policy.ImageReferenceRule;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.version.Version;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spec section 3, the unsafe image jump guard: changing a Milvus image across a metadata
 * migration (2.1.x → 2.2.x) silently loses built indexes, so it must go through a MilvusUpgrade.
 *
 * <p>On create only the image references are checked (pinned tag, allowed repository); on update,
 * every image that changes: the global one and each component's effective image (its own, else
 * the global one).
 *
 * <p>The controller's own change passes when two things hold: the request comes from the
 * controller's user (a constructor argument, set by {@code serve --controller-user}; it is
 * deployment configuration, not upgrade policy), and an unfinished MilvusUpgrade of this Milvus is
 * at the step that starts exactly the images requested. Labels or annotations, which anyone can
 * set, play no part. When the MilvusUpgrades cannot be read, there is no such evidence: the
 * controller's request is judged like anyone's (so an image jump is denied and the controller
 * retries), while the rule "no image change during an upgrade" becomes a warning for everyone, as
 * every cluster read that fails does: a slow apiserver must not fail reviews.
 */
public final class MilvusImageGuard implements Validator<Milvus> {

    /** The controller's service account user; its image changes for a running upgrade pass. */
    public static final String DEFAULT_CONTROLLER_USER = "system:serviceaccount:milvus-upgrade-system:milvus-upgrade-controller";

    private static final Logger LOG = LoggerFactory.getLogger(MilvusImageGuard.class);

    private final PolicySource policy;
    private final ClusterLookup cluster;
    private final String controllerUser;

    public MilvusImageGuard(PolicySource policy, ClusterLookup cluster) {
        this(policy, cluster, DEFAULT_CONTROLLER_USER);
    }

    public MilvusImageGuard(PolicySource policy, ClusterLookup cluster, String controllerUser) {
        this.policy = policy;
        this.cluster = cluster;
        this.controllerUser = controllerUser;
    }

    @Override
    public Verdict validateCreate(Milvus milvus, AdmissionContext context) {
        RuleReport report = reportFor(milvus);
        MilvusImages.declared(milvus).forEach((field, image) -> ImageReferenceRule.check(report, field, image));
        return finish(report, milvus, context);
    }

    @Override
    public Verdict validateUpdate(Milvus oldMilvus, Milvus milvus, AdmissionContext context) {
        Map<String, ImageChange> changes = changedImages(oldMilvus, milvus);
        if (changes.isEmpty()) {
            return Verdict.allowed(); // replicas, config, status: not the guard's business
        }
        String name = namespaceOf(milvus, context) + "/" + nameOf(milvus);
        Lookup<List<MilvusUpgrade>> upgrades = cluster.upgradesOf(namespaceOf(milvus, context), nameOf(milvus));
        if (isControllersOwnChange(context, changes, upgrades)) {
            LOG.info("event=controller_image_change milvus={} user={} images={}", name, context.username(),
                    changes.values().stream().map(ImageChange::to).distinct().collect(Collectors.joining(",")));
            return Verdict.allowed();
        }
        RuleReport report = reportFor(milvus);
        changes.forEach((field, change) -> {
            ImageReferenceRule.check(report, field, change.to());
            comparableVersions(report, field, change).ifPresent(versions -> {
                migrationBoundary(report, field, change, versions);
                minorDowngrade(report, field, change, versions);
            });
        });
        noUpgradeInProgress(report, name, changes.keySet().iterator().next(), upgrades);
        return finish(report, milvus, context);
    }

    /** The admin override, when the policy enables it and the Milvus asks for it. */
    private RuleReport reportFor(Milvus milvus) {
        RuleReport report = RuleReport.under(policy.current());
        GuardOverride override = report.policy().override();
        Map<String, String> annotations = milvus.getMetadata() == null ? null : milvus.getMetadata().getAnnotations();
        boolean requested = annotations != null && "true".equals(annotations.get(override.annotation()));
        return override.enabled() && requested ? report.overridden() : report;
    }

    /** Every use of the override is visible: a warning in the response and a log line. */
    private static Verdict finish(RuleReport report, Milvus milvus, AdmissionContext context) {
        if (!report.overriddenRules().isEmpty()) {
            String who = context.username() == null || context.username().isEmpty() ? "an unnamed user" : context.username();
            String rules = report.overriddenRules().stream().map(PolicyRule::key).distinct().collect(Collectors.joining(","));
            report.warn("the Milvus image guard was overridden by " + who + " through the admin override annotation "
                    + report.policy().override().annotation() + "; rules not enforced: " + rules);
            LOG.warn("event=image_guard_override milvus={}/{} user=\"{}\" operation={} rules={}", namespaceOf(milvus, context),
                    nameOf(milvus), who, context.operation(), rules);
        }
        return report.verdict();
    }

    /** Both tags as versions; a tag that is none (or an unknown previous image) cannot be judged. */
    private static Optional<VersionChange> comparableVersions(RuleReport report, String field, ImageChange change) {
        if (change.from() == null) {
            report.warn(field + " is set to " + change.to() + " where no image was set before (the operator's default ran): "
                    + "the guard cannot tell whether a metadata migration is needed");
            return Optional.empty();
        }
        Optional<Version> from = ImageReference.parse(change.from()).tagVersion();
        Optional<Version> to = ImageReference.parse(change.to()).tagVersion();
        if (from.isEmpty() || to.isEmpty()) {
            report.warn(field + " changes from " + change.from() + " to " + change.to()
                    + ": one of the tags is not a version, so the guard cannot tell whether a metadata migration is needed");
            return Optional.empty();
        }
        return Optional.of(new VersionChange(from.get(), to.get()));
    }

    /** Crossing a migration boundary by changing the image skips the metadata migration. */
    private static void migrationBoundary(RuleReport report, String field, ImageChange change, VersionChange versions) {
        report.policy().migrationSkippedBy(versions.from(), versions.to()).ifPresent(path -> report.rule(PolicyRule.IMAGE_MIGRATION_BOUNDARY,
                FieldError.forbidden(field, quote(change.to()) + ": changing the image from " + versions.from().minorLine() + " to "
                        + versions.to().minorLine() + " loses built indexes; create a MilvusUpgrade (sourceVersion " + versions.from()
                        + ", targetVersion " + versions.to() + ") to migrate the metadata instead, and leave the image to it")));
    }

    /** An older minor version cannot read the metadata a newer one wrote. */
    private static void minorDowngrade(RuleReport report, String field, ImageChange change, VersionChange versions) {
        if (versions.to().isBefore(versions.from()) && !versions.to().sameMinorLine(versions.from())) {
            report.rule(PolicyRule.IMAGE_DOWNGRADE, FieldError.forbidden(field, quote(change.to()) + ": downgrading from "
                    + versions.from() + " to " + versions.to() + " crosses a minor version, whose metadata the older version cannot read; "
                    + "to undo a MilvusUpgrade, set its operation to rollback; otherwise stay on " + versions.from().minorLine()));
        }
    }

    private static void noUpgradeInProgress(RuleReport report, String milvus, String field, Lookup<List<MilvusUpgrade>> upgrades) {
        switch (upgrades) {
            case Lookup.Found<List<MilvusUpgrade>> found -> unfinished(found.value()).ifPresent(upgrade -> report.rule(
                    PolicyRule.IMAGE_CHANGE_DURING_UPGRADE, FieldError.forbidden(field,
                            "MilvusUpgrade " + nameOf(upgrade) + " is working on Milvus " + milvus + " (state " + stateOf(upgrade)
                                    + ") and sets the image itself; wait for it to finish, or set its operation to rollback"
                                    + " (delete it instead if it has not started)")));
            case Lookup.NotFound<List<MilvusUpgrade>> ignored -> {
            }
            case Lookup.Unavailable<List<MilvusUpgrade>> unavailable -> report.warn(
                    "could not check whether a MilvusUpgrade is working on Milvus " + milvus + ": " + unavailable.reason());
        }
    }

    private boolean isControllersOwnChange(AdmissionContext context, Map<String, ImageChange> changes, Lookup<List<MilvusUpgrade>> upgrades) {
        if (!controllerUser.equals(context.username()) || !(upgrades instanceof Lookup.Found<List<MilvusUpgrade>> found)) {
            return false;
        }
        return unfinished(found.value()).map(upgrade -> {
            String expected = imageStartedAt(upgrade);
            return expected != null && changes.values().stream().allMatch(change -> expected.equals(change.to()));
        }).orElse(false);
    }

    /**
     * The image the controller sets at the upgrade's current state, or null if it sets none (the
     * stop and scale steps change replicas, not images). An upgrade created before this webhook
     * was installed has no targetImage: the controller then uses the policy's default, and so
     * does this check.
     */
    private String imageStartedAt(MilvusUpgrade upgrade) {
        UpgradeState state = UpgradeState.of(upgrade.getStatus() == null ? null : upgrade.getStatus().getState()).orElse(UpgradeState.PENDING);
        return switch (state) {
            case NEW_VERSION_STARTING -> targetImageOf(upgrade);
            case ROLLBACK_OLD_VERSION_STARTING -> upgrade.getStatus().getSourceImage();
            default -> null;
        };
    }

    private String targetImageOf(MilvusUpgrade upgrade) {
        if (upgrade.getSpec() == null) return null;
        String given = upgrade.getSpec().getTargetImage();
        if (given != null && !given.isEmpty()) return given;
        String target = upgrade.getSpec().getTargetVersion();
        return target == null || target.isEmpty() ? null : policy.current().defaultTargetImage(target);
    }

    private static Optional<MilvusUpgrade> unfinished(List<MilvusUpgrade> upgrades) {
        return upgrades.stream().filter(u -> UpgradeState.isUnfinished(
                u.getStatus() == null ? null : u.getStatus().getState(),
                u.getSpec() == null ? null : u.getSpec().getRollbackIfFailed())).findFirst();
    }

    private static String stateOf(MilvusUpgrade upgrade) {
        String state = upgrade.getStatus() == null ? null : upgrade.getStatus().getState();
        return state == null || state.isEmpty() ? "not started yet" : state;
    }

    /**
     * Field to change, for the global image and each component's effective image that differs.
     * {@code from} is null where no image was set before.
     */
    private static Map<String, ImageChange> changedImages(Milvus oldMilvus, Milvus milvus) {
        Map<String, String> before = MilvusImages.declared(oldMilvus);
        Map<String, String> after = MilvusImages.declared(milvus);
        Map<String, ImageChange> changes = new LinkedHashMap<>();
        String oldGlobal = before.get(MilvusImages.GLOBAL_FIELD);
        after.forEach((field, image) -> {
            // A component without its own image ran the global one.
            String was = before.getOrDefault(field, oldGlobal);
            if (!Objects.equals(was, image)) {
                changes.put(field, new ImageChange(was, image));
            }
        });
        String newGlobal = after.get(MilvusImages.GLOBAL_FIELD);
        before.forEach((field, image) -> {
            // A component that dropped its own image now runs the global one.
            if (!after.containsKey(field) && newGlobal != null && !newGlobal.equals(image)) {
                changes.put(field, new ImageChange(image, newGlobal));
            }
        });
        return changes;
    }

    private static String namespaceOf(Milvus milvus, AdmissionContext context) {
        String own = milvus.getMetadata() == null ? null : milvus.getMetadata().getNamespace();
        return own == null || own.isEmpty() ? context.namespace() : own;
    }

    private static String nameOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return object.getMetadata() == null ? "" : object.getMetadata().getName();
    }

    private record ImageChange(String from, String to) {
    }

    private record VersionChange(Version from, Version to) {
    }
}
