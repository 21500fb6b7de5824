package io.milvus.upgrade.milvus;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.CREATE_MILVUS;
import static io.milvus.upgrade.testing.RuleFixtures.USER;
import static io.milvus.upgrade.testing.RuleFixtures.updateBy;
import static io.milvus.upgrade.testing.RuleFixtures.upgradeAt;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard's request flow: what a whole update may do, the controller's own change, the admin
 * override, policy modes across rules. Each rule's own cases are in its test class ({@code milvus.rules}).
 */
class MilvusImageGuardTest {

    private static final AdmissionContext CONTROLLER = updateBy(MilvusImageGuard.DEFAULT_CONTROLLER_USER);

    private static Verdict update(String from, String to) {
        return new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(milvusWithImage(from), milvusWithImage(to), USER);
    }

    @Nested
    class ImageJumps {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource({
                "milvusdb/milvus:v2.2.0, milvusdb/milvus:v2.2.3",
                "milvusdb/milvus:v2.2.3, milvusdb/milvus:v2.2.0",
                "milvusdb/milvus:v2.2.8, milvusdb/milvus:v2.3.0",
                "milvusdb/milvus:v2.2.0, milvusdb/milvus:v2.4.1",
                "milvusdb/milvus:v2.1.2, milvusdb/milvus:v2.1.4",
                "milvusdb/milvus:v2.0.0, milvusdb/milvus:v2.1.4",
                "milvusdb/milvus:v2.2.0-rc1, milvusdb/milvus:v2.2.0",
                "milvusdb/milvus:v2.2.0, myregistry:5000/milvus:v2.2.1"})
        void allowedImageChanges(String from, String to) {
            Verdict verdict = update(from, to);
            assertThat(verdict.errors()).isEmpty();
            assertThat(verdict.warnings()).isEmpty();
        }

        /**
         * Where no image was set, the operator's default as the policy names it ran (unless the
         * status says otherwise): otherwise removing the image (allowed on 2.6.11, the default)
         * and then setting 2.5.16 would downgrade in two steps. Without a default in the policy,
         * the guard cannot tell and warns (UnknownVersionRuleTest, RemovedImageRuleTest).
         */
        @Test
        void anImageWhereNoneWasSetIsJudgedAgainstTheOperatorsDefault() {
            var guard = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster());
            Milvus unset = milvus("my-release", "mode: standalone");
            assertThat(guard.validateUpdate(unset, milvusWithImage("milvusdb/milvus:v2.6.11"), USER).errors()).isEmpty();
            assertThat(fields(guard.validateUpdate(unset, milvusWithImage("milvusdb/milvus:v2.5.16"), USER))).containsExactly("spec.components.image");
            Milvus reported = milvus("my-release", "mode: standalone");
            reported.setStatus(ApiSerialization.json().convertValue(Map.of("currentImage", "milvusdb/milvus:v2.2.0"), MilvusStatus.class));
            assertThat(guard.validateUpdate(reported, milvusWithImage("milvusdb/milvus:v2.2.0"), USER).errors()).as("the status says what ran").isEmpty();

            var noDefault = new MilvusImageGuard(policy("operatorDefaultImage: \"\""), new FakeCluster());
            Verdict latest = noDefault.validateUpdate(unset, milvusWithImage("milvusdb/milvus:latest"), USER);
            assertThat(fields(latest)).as("still pinned").containsExactly("spec.components.image");
        }

        @Test
        void otherChangesAreNotTheGuardsBusiness() {
            Milvus before = milvus("my-release", "components:\n  image: milvusdb/milvus:latest\n  proxy: {replicas: 2}\n");
            Milvus after = milvus("my-release", "components:\n  image: milvusdb/milvus:latest\n  proxy: {replicas: 0}\nconfig: {a: 1}\n");
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(upgradeAt("BackupMeta"))).validateUpdate(before, after, USER);
            assertThat(verdict.errors()).isEmpty();
            assertThat(verdict.warnings()).isEmpty();
        }

        @Test
        void guardRulesFollowThePolicyModes() {
            var warnDowngrade = new MilvusImageGuard(policy("rules: {imageDowngrade: warn}"), new FakeCluster());
            Verdict verdict = warnDowngrade.validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("milvusdb/milvus:v2.1.4"), USER);
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).contains("crosses a minor version"));

            var unpinnedAllowed = new MilvusImageGuard(policy("allowUnpinnedTags: true"), new FakeCluster());
            assertThat(unpinnedAllowed.validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("milvusdb/milvus:latest"), USER)
                    .isAllowed()).isTrue();

            var repositories = new MilvusImageGuard(policy("allowedRepositories: [milvusdb/milvus]"), new FakeCluster());
            assertThat(fields(repositories.validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("evil/milvus:v2.2.1"), USER)))
                    .containsExactly("spec.components.image");
        }
    }

    @Nested
    class TheControllersOwnChange {

        private Verdict review(MilvusUpgrade upgrade, String from, String to, AdmissionContext who) {
            return new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(upgrade))
                    .validateUpdate(milvusWithImage(from), milvusWithImage(to), who);
        }

        @ParameterizedTest(name = "{0} by {1}: {2} → {3} allowed {4}")
        @CsvSource({
                "NewVersionStarting, controller, milvusdb/milvus:v2.1.4, milvusdb/milvus:v2.2.0, true",
                "NewVersionStarting, alice, milvusdb/milvus:v2.1.4, milvusdb/milvus:v2.2.0, false",
                "NewVersionStarting, controller, milvusdb/milvus:v2.1.4, milvusdb/milvus:v2.2.1, false",
                "RollbackOldVersionStarting, controller, milvusdb/milvus:v2.2.0, milvusdb/milvus:v2.1.4, true",
                "RollbackOldVersionStarting, alice, milvusdb/milvus:v2.2.0, milvusdb/milvus:v2.1.4, false",
                "RollbackOldVersionStarting, controller, milvusdb/milvus:v2.2.0, milvusdb/milvus:v2.1.3, false",
                "OldVersionStopping, controller, milvusdb/milvus:v2.1.4, milvusdb/milvus:v2.2.0, false",
                "BackupMeta, controller, milvusdb/milvus:v2.1.4, milvusdb/milvus:v2.2.0, false",
                "UpdatingMeta, controller, milvusdb/milvus:v2.1.4, milvusdb/milvus:v2.2.0, false",
                "RollbackRestoringOldMeta, controller, milvusdb/milvus:v2.2.0, milvusdb/milvus:v2.1.4, false",
                "Succeeded, controller, milvusdb/milvus:v2.1.4, milvusdb/milvus:v2.2.0, false"})
        void passesOnlyAtItsStepAndForItsImage(String state, String who, String from, String to, boolean allowed) {
            AdmissionContext context = who.equals("controller") ? CONTROLLER : USER;
            assertThat(review(upgradeAt(state), from, to, context).isAllowed()).isEqualTo(allowed);
        }

        @Test
        void aUserNameAloneIsNotEnough() {
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster())
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"), CONTROLLER);
            assertThat(verdict.isAllowed()).isFalse();
        }

        @Test
        void withoutTheUpgradesTheControllerIsJudgedLikeAnyone() {
            var unavailable = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().unavailable("no permission to read MilvusUpgrades in default"));
            assertThat(unavailable.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"), CONTROLLER)
                    .isAllowed()).as("a jump needs evidence").isFalse();
            Verdict patch = unavailable.validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("milvusdb/milvus:v2.2.1"), CONTROLLER);
            assertThat(patch.isAllowed()).isTrue();
            assertThat(patch.warnings()).anyMatch(w -> w.contains("no permission"));
        }

        @Test
        void theControllerUserIsConfigurable() {
            var guard = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(upgradeAt("NewVersionStarting")), "system:serviceaccount:ops:upgrader");
            assertThat(guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"),
                    updateBy("system:serviceaccount:ops:upgrader")).isAllowed()).isTrue();
            assertThat(guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"), CONTROLLER)
                    .isAllowed()).isFalse();
        }

        @Test
        void anUpgradeWithoutTargetImageStartsThePolicyDefault() {
            MilvusUpgrade upgrade = upgradeAt("NewVersionStarting");
            upgrade.getSpec().setTargetImage(null);
            assertThat(review(upgrade, "milvusdb/milvus:v2.1.4", "milvusdb/milvus:v2.2.0", CONTROLLER).isAllowed()).isTrue();
        }

        @Test
        void everyChangedImageMustBeTheOneItStarts() {
            Milvus before = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
            Milvus all = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.2.0}\n");
            Milvus sneaky = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.3.0}\n");
            var guard = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(upgradeAt("NewVersionStarting")));
            assertThat(guard.validateUpdate(before, all, CONTROLLER).isAllowed()).isTrue();
            assertThat(guard.validateUpdate(before, sneaky, CONTROLLER).isAllowed()).isFalse();
        }
    }

    @Nested
    class TheOverride {

        private static Milvus annotated(String image, String value) {
            Milvus milvus = milvusWithImage(image);
            milvus.getMetadata().setAnnotations(Map.of("milvus.io/allow-unsafe-image-change", value));
            return milvus;
        }

        @Test
        void isOffByDefault() {
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster())
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), annotated("milvusdb/milvus:v2.2.0", "true"), USER);
            assertThat(verdict.isAllowed()).isFalse();
        }

        @Test
        void whenEnabledAndUsedTurnsTheRulesIntoWarningsThatSayWho() {
            Verdict verdict = new MilvusImageGuard(policy("override: {enabled: true}"), new FakeCluster().with(upgradeAt("BackupMeta")))
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), annotated("milvusdb/milvus:latest", "true"), USER);
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).anyMatch(w -> w.contains("Milvus image guard was overridden by alice")
                    && w.contains("milvus.io/allow-unsafe-image-change") && w.contains("unpinnedTag") && w.contains("imageChangeDuringUpgrade"));
            assertThat(verdict.warnings()).anyMatch(w -> w.contains("(allowed by the admin override)"));

            Verdict jump = new MilvusImageGuard(policy("override: {enabled: true}"), new FakeCluster())
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), annotated("milvusdb/milvus:v2.2.0", "true"), USER);
            assertThat(jump.isAllowed()).isTrue();
            assertThat(jump.warnings()).anyMatch(w -> w.contains("overridden by alice") && w.contains("imageMigrationBoundary"));
        }

        @Test
        void appliesToCreatesToo() {
            Milvus latest = annotated("milvusdb/milvus:latest", "true");
            assertThat(new MilvusImageGuard(policy("override: {enabled: true}"), ClusterLookup.none()).validateCreate(latest, CREATE_MILVUS).isAllowed()).isTrue();
        }

        @ParameterizedTest(name = "annotation value \"{0}\"")
        @ValueSource(strings = {"false", "True", "yes", ""})
        void needsTheValueTrue(String value) {
            Verdict verdict = new MilvusImageGuard(policy("override: {enabled: true}"), new FakeCluster())
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), annotated("milvusdb/milvus:v2.2.0", value), USER);
            assertThat(verdict.isAllowed()).isFalse();
        }

        @Test
        void theAnnotationNameComesFromThePolicy() {
            Milvus milvus = milvusWithImage("milvusdb/milvus:v2.2.0");
            milvus.getMetadata().setAnnotations(Map.of("example.com/yes-really", "true"));
            Verdict verdict = new MilvusImageGuard(policy("override: {enabled: true, annotation: example.com/yes-really}"), new FakeCluster())
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvus, USER);
            assertThat(verdict.isAllowed()).isTrue();
        }

        @Test
        void unusedItLeavesNoTrace() {
            Verdict verdict = new MilvusImageGuard(policy("override: {enabled: true}"), new FakeCluster())
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), annotated("milvusdb/milvus:v2.2.1", "true"), USER);
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).isEmpty();
        }
    }
}
