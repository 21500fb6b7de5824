package io.milvus.upgrade.milvus;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.log.LogEvent;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.policy.GuardOverride;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.milvus.rules.FrozenFieldsRule;
import io.milvus.upgrade.milvus.rules.GuardRule;
import io.milvus.upgrade.milvus.rules.ImageChange;
import io.milvus.upgrade.milvus.rules.MilvusChange;
import io.milvus.upgrade.milvus.rules.UnfinishedUpgrades;
import io.milvus.upgrade.milvus.rules.ImageDowngradeRule;
import io.milvus.upgrade.milvus.rules.ImageReferencesRule;
import io.milvus.upgrade.milvus.rules.MigrationBoundaryRule;
import io.milvus.upgrade.milvus.rules.MisplacedImageRule;
import io.milvus.upgrade.milvus.rules.ModeChangeRule;
import io.milvus.upgrade.milvus.rules.OperatorVersionReadingRule;
import io.milvus.upgrade.milvus.rules.QueueSwitchRule;
import io.milvus.upgrade.milvus.rules.ZeroReplicasRule;
import io.milvus.upgrade.milvus.rules.RemovedImageRule;
import io.milvus.upgrade.milvus.rules.RequiredTopologyRule;
import io.milvus.upgrade.milvus.rules.RollingUpgradeRule;
import io.milvus.upgrade.milvus.rules.UnknownVersionRule;
import io.milvus.upgrade.milvus.rules.UpgradeInProgressRule;
import io.milvus.upgrade.milvus.rules.UpgradeStepRule;
import java.util.List;
import java.util.Map;
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

    /** In the order their findings are reported. */
    private static final List<GuardRule> RULES = List.of(
            new MisplacedImageRule(),
            new ModeChangeRule(),
            new ImageReferencesRule(),
            new OperatorVersionReadingRule(),
            new UnknownVersionRule(),
            new RemovedImageRule(),
            new MigrationBoundaryRule(),
            new ImageDowngradeRule(),
            new UpgradeStepRule(),
            new RequiredTopologyRule(),
            new FrozenFieldsRule(),
            new ZeroReplicasRule(),
            new QueueSwitchRule(),
            new RollingUpgradeRule(),
            new UpgradeInProgressRule());

    @Override
    public Verdict validateCreate(Milvus milvus, AdmissionContext context) {
        RuleReport report = reportFor(milvus);
        MilvusChange change = MilvusChange.ofCreate(milvus, report.policy(), context);
        RULES.forEach(rule -> rule.check(change, report));
        return finish(report, change);
    }

    @Override
    public Verdict validateUpdate(Milvus oldMilvus, Milvus milvus, AdmissionContext context) {
        RuleReport report = reportFor(milvus);
        MilvusChange change = MilvusChange.ofUpdate(oldMilvus, milvus, report.policy(), context, cluster);
        if (!change.images().isEmpty() && isControllersOwnChange(context, change.images(), change.upgrades())) {
            LogEvent.info(LOG, "controller_image_change")
                    .addKeyValue("milvus", change.name())
                    .addKeyValue("user", context.username())
                    .addKeyValue("images", change.images().stream().map(ImageChange::to).distinct().collect(Collectors.joining(","))).log();
            return Verdict.allowed();
        }
        RULES.forEach(rule -> rule.check(change, report));
        return finish(report, change);
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
    private static Verdict finish(RuleReport report, MilvusChange change) {
        AdmissionContext context = change.context();
        if (!report.overriddenRules().isEmpty()) {
            String who = context.username() == null || context.username().isEmpty() ? "an unnamed user" : context.username();
            String rules = report.overriddenRules().stream().map(PolicyRule::key).distinct().collect(Collectors.joining(","));
            report.warn("the Milvus image guard was overridden by " + who + " through the admin override annotation "
                    + report.policy().override().annotation() + "; rules not enforced: " + rules);
            LogEvent.warn(LOG, "image_guard_override")
                    .addKeyValue("milvus", change.name())
                    .addKeyValue("user", who)
                    .addKeyValue("operation", context.operation())
                    .addKeyValue("rules", rules).log();
        }
        return report.verdict();
    }

    private boolean isControllersOwnChange(AdmissionContext context, List<ImageChange> changes, Lookup<List<MilvusUpgrade>> upgrades) {
        if (!controllerUser.equals(context.username()) || !(upgrades instanceof Lookup.Found<List<MilvusUpgrade>> found)) {
            return false;
        }
        return UnfinishedUpgrades.first(found.value()).map(upgrade -> {
            String expected = imageStartedAt(upgrade);
            // A rollback restores exactly what ran before: an image field the upgrade set where
            // none was is removed again, which is the controller undoing its own change.
            boolean rollingBack = UpgradeState.of(upgrade.state()).orElse(UpgradeState.PENDING) == UpgradeState.ROLLBACK_OLD_VERSION_STARTING;
            String target = targetImageOf(upgrade);
            return expected != null && changes.stream().allMatch(change -> change.removed()
                    ? rollingBack && target != null && target.equals(change.from())
                    : expected.equals(change.to()));
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
}
