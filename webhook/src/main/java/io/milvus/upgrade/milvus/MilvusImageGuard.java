package io.milvus.upgrade.milvus;

import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.FieldError;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.admission.Verdict;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spec section 3, the unsafe image jump guard: changing a Milvus image across a metadata
 * migration (2.1.x → 2.2.x) silently loses built indexes, so it must go through a MilvusUpgrade.
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
        RuleReport report = reportFor(milvus);
        Lookup<List<MilvusUpgrade>> upgrades = cluster.upgradesOf(namespaceOf(milvus, context), milvus.getMetadata().getName());
        if (isControllersOwnChange(context, changes, upgrades)) {
            LOG.info("event=controller_image_change milvus={}/{} user={} images={}", namespaceOf(milvus, context),
                    milvus.getMetadata().getName(), context.username(), changes.values().stream().map(ImageChange::to).toList());
            return Verdict.allowed();
        }
        changes.forEach((field, change) -> {
            ImageReferenceRule.check(report, field, change.to());
            versionJump(report, field, change);
        });
        noUpgradeInProgress(report, milvus, context, upgrades);
        return finish(report, milvus, context);
    }

    private RuleReport reportFor(Milvus milvus) {
        RuleReport report = RuleReport.under(policy.current());
        GuardOverride override = report.policy().override();
        Map<String, String> annotations = milvus.getMetadata() == null ? null : milvus.getMetadata().getAnnotations();
        boolean requested = annotations != null && "true".equals(annotations.get(override.annotation()));
        return override.enabled() && requested ? report.overridden() : report;
    }

    private static Verdict finish(RuleReport report, Milvus milvus, AdmissionContext context) {
        if (!report.overriddenRules().isEmpty()) {
            String who = context.username() == null || context.username().isEmpty() ? "an unnamed user" : context.username();
            report.warn("the Milvus image guard was overridden by " + who + " through the admin override annotation; rules not enforced: "
                    + report.overriddenRules().stream().map(PolicyRule::key).toList());
            LOG.warn("event=image_guard_override milvus={}/{} user={} rules={}", context.namespace(),
                    milvus.getMetadata() == null ? "" : milvus.getMetadata().getName(), who,
                    report.overriddenRules().stream().map(PolicyRule::key).toList());
        }
        return report.verdict();
    }

    /** Crossing a migration boundary, or going back a minor version: both break the metadata. */
    private static void versionJump(RuleReport report, String field, ImageChange change) {
        Optional<Version> from = ImageReference.parse(change.from()).tagVersion();
        Optional<Version> to = ImageReference.parse(change.to()).tagVersion();
        if (from.isEmpty() || to.isEmpty()) {
            report.warn(field + " changes from " + change.from() + " to " + change.to()
                    + ": one of the tags is not a version, so the guard cannot tell whether a metadata migration is needed");
            return;
        }
        report.policy().migrationSkippedBy(from.get(), to.get()).ifPresent(path -> report.rule(PolicyRule.IMAGE_MIGRATION_BOUNDARY,
                FieldError.forbidden(field, quote(change.to()) + ": changing the image from " + from.get().minorLine() + " to "
                        + to.get().minorLine() + " loses built indexes; create a MilvusUpgrade (sourceVersion " + from.get()
                        + ", targetVersion " + to.get() + ") to migrate the metadata instead")));
        if (to.get().isBefore(from.get()) && !to.get().sameMinorLine(from.get())) {
            report.rule(PolicyRule.IMAGE_DOWNGRADE, FieldError.forbidden(field, quote(change.to()) + ": downgrading from "
                    + from.get() + " to " + to.get() + " crosses a minor version, whose metadata the older version cannot read; "
                    + "to undo a MilvusUpgrade, set its operation to rollback"));
        }
    }

    private static void noUpgradeInProgress(RuleReport report, Milvus milvus, AdmissionContext context, Lookup<List<MilvusUpgrade>> upgrades) {
        String name = namespaceOf(milvus, context) + "/" + milvus.getMetadata().getName();
        switch (upgrades) {
            case Lookup.Found<List<MilvusUpgrade>> found -> unfinished(found.value()).ifPresent(upgrade -> report.rule(
                    PolicyRule.IMAGE_CHANGE_DURING_UPGRADE, FieldError.forbidden(MilvusImages.GLOBAL_FIELD,
                            "MilvusUpgrade " + upgrade.getMetadata().getName() + " is working on Milvus " + name + " (state "
                                    + stateOf(upgrade) + "); wait for it to finish, or set its operation to rollback")));
            case Lookup.NotFound<List<MilvusUpgrade>> ignored -> {
            }
            case Lookup.Unavailable<List<MilvusUpgrade>> unavailable -> report.warn(
                    "could not check whether a MilvusUpgrade is working on Milvus " + name + ": " + unavailable.reason());
        }
    }

    /**
     * The controller's image change for an upgrade it runs: the request's user is the controller
     * and the upgrade in progress is at the step that starts exactly these images. Labels or
     * annotations, which anyone can set, play no part.
     */
    private boolean isControllersOwnChange(AdmissionContext context, Map<String, ImageChange> changes, Lookup<List<MilvusUpgrade>> upgrades) {
        if (!controllerUser.equals(context.username()) || !(upgrades instanceof Lookup.Found<List<MilvusUpgrade>> found)) {
            return false;
        }
        return unfinished(found.value()).map(upgrade -> {
            String expected = imageStartedAt(upgrade);
            return expected != null && changes.values().stream().allMatch(change -> expected.equals(change.to()));
        }).orElse(false);
    }

    /** The image the controller sets at the upgrade's current state, or null if it sets none. */
    private static String imageStartedAt(MilvusUpgrade upgrade) {
        UpgradeState state = UpgradeState.of(upgrade.getStatus() == null ? null : upgrade.getStatus().getState()).orElse(UpgradeState.PENDING);
        return switch (state) {
            case NEW_VERSION_STARTING -> upgrade.getSpec() == null ? null : upgrade.getSpec().getTargetImage();
            case ROLLBACK_OLD_VERSION_STARTING -> upgrade.getStatus().getSourceImage();
            default -> null;
        };
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

    /** Field to change, for the global image and each component image that differs. */
    private static Map<String, ImageChange> changedImages(Milvus oldMilvus, Milvus milvus) {
        Map<String, String> before = MilvusImages.declared(oldMilvus);
        Map<String, String> after = MilvusImages.declared(milvus);
        Map<String, ImageChange> changes = new LinkedHashMap<>();
        String oldGlobal = before.get(MilvusImages.GLOBAL_FIELD);
        after.forEach((field, image) -> {
            // A component without its own image ran the global one.
            String was = before.getOrDefault(field, oldGlobal);
            if (was != null && !Objects.equals(was, image)) {
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

    private record ImageChange(String from, String to) {
    }
}
