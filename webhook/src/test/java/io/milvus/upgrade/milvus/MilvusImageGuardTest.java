package io.milvus.upgrade.milvus;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.Objects.upgrade;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MilvusImageGuardTest {

    private static final AdmissionContext USER = as("alice");
    private static final AdmissionContext CONTROLLER = as(MilvusImageGuard.DEFAULT_CONTROLLER_USER);
    private static final AdmissionContext CREATE = AdmissionContext.offline(Operation.CREATE, "default", "my-release");

    private static AdmissionContext as(String user) {
        return new AdmissionContext("u", Operation.UPDATE, "default", "my-release", user, List.of(), false);
    }

    private static Verdict update(String from, String to) {
        return new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(milvusWithImage(from), milvusWithImage(to), USER);
    }


    private static MilvusUpgrade upgradeAt(String state) {
        MilvusUpgrade upgrade = upgrade("milvus: {name: my-release}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0\ntargetImage: milvusdb/milvus:v2.2.0\n");
        MilvusUpgradeStatus status = new MilvusUpgradeStatus();
        status.setState(state);
        status.setSourceImage("milvusdb/milvus:v2.1.4");
        upgrade.setStatus(status);
        return upgrade;
    }

    @Nested
    class ImageJumps {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', value = {
                "milvusdb/milvus:v2.1.4 | milvusdb/milvus:v2.2.0 | changing the image from 2.1.x to 2.2.x loses built indexes; create a MilvusUpgrade (sourceVersion 2.1.4, targetVersion 2.2.0)",
                "milvusdb/milvus:v2.0.2 | milvusdb/milvus:v2.3.1 | changing the image from 2.0.x to 2.3.x loses built indexes",
                "milvusdb/milvus:v2.1.4 | milvusdb/milvus:v2.2.0-rc1 | loses built indexes",
                "milvusdb/milvus:v2.2.0 | milvusdb/milvus:v2.1.4 | downgrading from 2.2.0 to 2.1.4 crosses a minor version",
                "milvusdb/milvus:v2.3.0 | milvusdb/milvus:v2.2.9 | crosses a minor version, whose metadata the older version cannot read; to undo a MilvusUpgrade, set its operation to rollback",
                "milvusdb/milvus:v3.0.0 | milvusdb/milvus:v2.9.0 | crosses a minor version",
                "milvusdb/milvus:v2.2.0 | milvusdb/milvus:latest | the tag 'latest' can point to another version at any time; pin a version tag",
                "milvusdb/milvus:v2.2.0 | milvusdb/milvus        | no tag",
        })
        void deniedImageChanges(String from, String to, String message) {
            Verdict verdict = update(from, to);
            assertThat(fields(verdict)).containsExactly("spec.components.image");
            assertThat(verdict.errors().get(0).message()).contains(message);
        }

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

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource({
                "milvusdb/milvus:v2.1.4, milvusdb/milvus:nightly-build",
                "milvusdb/milvus:mytag, milvusdb/milvus:v2.2.0",
                "milvusdb/milvus:v2.1.4, milvusdb/milvus@sha256:aaaa"})
        void aTagThatIsNoVersionIsAllowedWithAWarning(String from, String to) {
            Verdict verdict = update(from, to);
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).contains("not a version"));
        }

        /**
         * Where no image was set, the operator's default as the policy names it ran (unless the
         * status says otherwise): otherwise removing the image (allowed on 2.6.11, the default)
         * and then setting 2.5.16 would downgrade in two steps. Without a default in the policy,
         * the guard cannot tell and warns.
         */
        @Test
        void anImageWhereNoneWasSetIsJudgedAgainstTheOperatorsDefault() {
            var guard = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster());
            Milvus unset = milvus("my-release", "mode: standalone");
            assertThat(guard.validateUpdate(unset, milvusWithImage("milvusdb/milvus:v2.6.11"), USER).errors()).isEmpty();
            assertThat(fields(guard.validateUpdate(unset, milvusWithImage("milvusdb/milvus:v2.5.16"), USER))).containsExactly("spec.components.image");
            Milvus reported = milvus("my-release", "mode: standalone");
            reported.setStatus(io.milvus.upgrade.api.serialization.ApiSerialization.json().convertValue(
                    Map.of("currentImage", "milvusdb/milvus:v2.2.0"), io.milvus.upgrade.api.v1beta1.MilvusStatus.class));
            assertThat(guard.validateUpdate(reported, milvusWithImage("milvusdb/milvus:v2.2.0"), USER).errors()).as("the status says what ran").isEmpty();

            var noDefault = new MilvusImageGuard(policy("operatorDefaultImage: \"\""), new FakeCluster());
            Verdict verdict = noDefault.validateUpdate(unset, milvusWithImage("milvusdb/milvus:v2.2.0"), USER);
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).contains("no image was set before"));

            Verdict removed = noDefault.validateUpdate(milvusWithImage("milvusdb/milvus:v2.6.11"), unset, USER);
            assertThat(removed.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("runs the operator's default image, which the policy does not name (operatorDefaultImage)"));

            Verdict latest = noDefault.validateUpdate(unset, milvusWithImage("milvusdb/milvus:latest"), USER);
            assertThat(fields(latest)).as("still pinned").containsExactly("spec.components.image");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"mixCoord", "rootCoord", "dataCoord", "queryCoord", "indexCoord", "dataNode", "queryNode", "indexNode", "proxy", "standalone"})
        void eachComponentImageIsGuarded(String component) {
            Milvus before = milvus("my-release", "mode: cluster\ncomponents:\n  image: milvusdb/milvus:v2.1.4\n  " + component + ": {replicas: 2}\n");
            Milvus after = milvus("my-release", "mode: cluster\ncomponents:\n  image: milvusdb/milvus:v2.1.4\n  " + component
                    + ": {replicas: 2, image: milvusdb/milvus:v2.2.0}\n");
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(before, after, USER);
            assertThat(fields(verdict)).containsExactly("spec.components." + component + ".image");
            assertThat(verdict.errors().get(0).message()).contains("loses built indexes");

            Milvus patched = milvus("my-release", "mode: cluster\ncomponents:\n  image: milvusdb/milvus:v2.1.4\n  " + component
                    + ": {replicas: 2, image: milvusdb/milvus:v2.1.5}\n");
            assertThat(new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(before, patched, USER).errors()).isEmpty();
        }

        @Test
        void theEffectiveImageOfEachComponentCounts() {
            var guard = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster());
            // The proxy drops its own 2.1.4 image and now runs the global 2.2.0.
            Milvus pinned = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
            Milvus dropped = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {replicas: 2}\n");
            assertThat(fields(guard.validateUpdate(pinned, dropped, USER))).containsExactly("spec.components.proxy.image");
            // The global image moves on while the proxy keeps the old one: the other components jump.
            Milvus old = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
            Milvus globalOnly = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
            assertThat(fields(guard.validateUpdate(old, globalOnly, USER))).containsExactly("spec.components.image");
            // Both change: each is reported on its own field.
            Milvus both = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.2.0}\n");
            assertThat(fields(guard.validateUpdate(old, both, USER))).containsExactly("spec.components.image", "spec.components.proxy.image");
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
    class Creates {

        private final MilvusImageGuard guard = new MilvusImageGuard(PolicySource.builtIn(), ClusterLookup.none());

        @ParameterizedTest(name = "{0}")
        @CsvSource({"milvusdb/milvus:latest, false", "milvusdb/milvus, false", "milvusdb/milvus:v2.1.4, true",
                "milvusdb/milvus:mytag, true", "milvusdb/milvus@sha256:aaaa, true"})
        void onlyImageReferencesAreChecked(String image, boolean allowed) {
            Verdict verdict = guard.validateCreate(milvusWithImage(image), CREATE);
            assertThat(verdict.isAllowed()).isEqualTo(allowed);
            if (!allowed) assertThat(fields(verdict)).containsExactly("spec.components.image");
        }

        @Test
        void componentImagesAndMissingImages() {
            assertThat(fields(guard.validateCreate(milvus("my-release", "components: {proxy: {image: milvusdb/milvus}}"), CREATE)))
                    .containsExactly("spec.components.proxy.image");
            assertThat(guard.validateCreate(milvus("my-release", "mode: standalone"), CREATE).errors()).isEmpty();
        }
    }

    @Nested
    class DuringAnUpgrade {

        @ParameterizedTest(name = "upgrade at \"{0}\" blocks: {1}")
        @CsvSource({"'', true", "OldVersionStopping, true", "BackupMeta, true", "NewVersionStarting, true", "RollbackOldVersionStarting, true",
                "Succeeded, false", "RollbackedSucceeded, false", "RollbackFailed, false"})
        void noImageChangeWhileAnUpgradeIsUnfinished(String state, boolean blocks) {
            FakeCluster cluster = new FakeCluster().with(upgradeAt(state));
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), cluster)
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.1.5"), USER);
            assertThat(verdict.isAllowed()).isEqualTo(!blocks);
            if (blocks) {
                assertThat(verdict.errors()).singleElement().satisfies(e -> assertThat(e.message())
                        .contains("MilvusUpgrade my-release-upgrade is working on Milvus default/my-release")
                        .contains("wait for it to finish, or set its operation to rollback"));
            }
        }

        @Test
        void aFailedUpgradeThatWillNotRollBackHoldsNothing() {
            MilvusUpgrade failed = upgradeAt("UpdateMetaFailed");
            failed.getSpec().setRollbackIfFailed(false);
            assertThat(new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(failed))
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.1.5"), USER).isAllowed()).isTrue();
        }

        @Test
        void theErrorSitsOnTheChangedField() {
            Milvus before = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
            Milvus after = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {image: milvusdb/milvus:v2.1.5}\n");
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(upgradeAt("BackupMeta"))).validateUpdate(before, after, USER);
            assertThat(fields(verdict)).containsExactly("spec.components.proxy.image");
        }

        @Test
        void anUnreadableClusterIsAWarningForEveryone() {
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().unavailable("the apiserver did not answer within 2s"))
                    .validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("milvusdb/milvus:v2.2.1"), USER);
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w)
                    .contains("could not check whether a MilvusUpgrade is working on Milvus default/my-release").contains("within 2s"));
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
                    as("system:serviceaccount:ops:upgrader")).isAllowed()).isTrue();
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
            assertThat(new MilvusImageGuard(policy("override: {enabled: true}"), ClusterLookup.none()).validateCreate(latest, CREATE).isAllowed()).isTrue();
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
