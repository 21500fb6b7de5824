package io.milvus.upgrade.plan;

import static io.milvus.upgrade.testing.Objects.milvus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.milvusupgrade.MilvusUpgradeValidator;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.version.Version;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planner's paths, each step applied in order to the Milvus as kubectl would apply it (its
 * JSON Patch, or the MilvusUpgrade and then the controller's change), and each judged by the
 * webhook's own rules: the guard and the MilvusUpgrade validator admit every step.
 */
class PlannedStepsPassTheGuardTest {

    private static final AdmissionContext USER = new AdmissionContext("u", Operation.UPDATE, "default", "my-release", "alice", List.of(), false);
    private static final AdmissionContext CONTROLLER = new AdmissionContext("c", Operation.UPDATE, "default", "my-release",
            MilvusImageGuard.DEFAULT_CONTROLLER_USER, List.of(), false);
    private static final AdmissionContext CREATE = new AdmissionContext("m", Operation.CREATE, "default", "", "alice", List.of(), false);

    static Milvus start(String shape, String version) {
        String image = "milvusdb/milvus:v" + version;
        return switch (shape) {
            case "standalone" -> milvus("my-release", "mode: standalone\ncomponents: {image: " + image + "}\n");
            case "coordinators", "coordinators+indexNode" -> milvus("my-release", """
                    mode: cluster
                    components:
                      image: %s
                      rootCoord: {replicas: 1}
                      dataCoord: {replicas: 1}
                      queryCoord: {replicas: 1}
                      indexCoord: {replicas: 1}
                      queryNode: {replicas: 2}
                    %s
                    dependencies: {msgStreamType: pulsar}
                    """.formatted(image, shape.endsWith("indexNode") ? "  indexNode: {replicas: 2}" : ""));
            case "mixcoord" -> milvus("my-release", "mode: cluster\ncomponents: {image: " + image + ", mixCoord: {replicas: 1}}\n");
            // What the 3.0 guide starts from: mixCoord, streamingNode, Woodpecker, indexNode at 0.
            case "streaming" -> milvus("my-release", """
                    mode: cluster
                    components:
                      image: %s
                      mixCoord: {replicas: 1}
                      streamingNode: {replicas: 2}
                      indexNode: {replicas: 0}
                      queryNode: {replicas: 2}
                    dependencies: {msgStreamType: woodpecker}
                    """.formatted(image));
            default -> throw new IllegalArgumentException(shape);
        };
    }

    @ParameterizedTest(name = "{0} {1} → {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "standalone   | 2.1.4     | 2.2.0  | migrateMetadata",
            "standalone   | 2.1.4     | 2.5.16 | migrateMetadata",
            "coordinators | 2.1.4     | 2.6.11 | migrateMetadata enableMixCoord changeImage",
            "coordinators | 2.4.17    | 2.6.11 | changeImage enableMixCoord changeImage",
            "mixcoord     | 2.5.16    | 2.6.11 | changeImage",
            "standalone   | 2.5.3     | 2.6.11 | changeImage changeImage",
            "standalone   | 2.2.3     | 2.5.27 | changeImage",
            "standalone   | 2.6.11    | 2.6.11 | ''",
            "standalone   | 2.4.17    | 2.3.5  | changeImage",
            "standalone   | 2.6.0-rc1 | 2.6.11 | none",
            "standalone   | 2.6.11    | 2.5.16 | none",
            "coordinators | 2.6.6     | 2.4.0  | none",
            "standalone   | 2.2.0     | 2.1.4  | none",
            // Issue 22's cases: through the newest patch of each minor, and 2.6.20 or later before 3.0.
            "coordinators | 2.1.4     | 3.0.5  | migrateMetadata enableMixCoord changeImage changeImage",
            "coordinators+indexNode | 2.4.23 | 3.0.5 | changeImage enableMixCoord changeImage changeImage",
            "streaming    | 2.6.11    | 3.0.5  | changeImage changeImage",
            "streaming    | 2.6.20    | 3.0.5  | changeImage",
            "mixcoord     | 2.5.27    | 3.0.5  | changeImage changeImage",
            "standalone   | 2.5.27    | 3.0.5  | changeImage changeImage",
            "streaming    | 3.0.5     | 2.6.24 | none",
            "streaming    | 3.0.1     | 3.0.5  | changeImage",
    })
    void everyPlannedStepPassesTheGuardInOrder(String shape, String from, String to, String actions) {
        UpgradePolicy policy = UpgradePolicy.builtIn();
        Milvus milvus = start(shape, from);
        PlanOutcome outcome = new UpgradePlanner(policy).plan(milvus, Version.of(to));
        if (actions.equals("none")) {
            assertThat(outcome).isInstanceOf(PlanOutcome.NoPath.class);
            return;
        }
        assertThat(outcome).isInstanceOf(PlanOutcome.Found.class);
        List<PlannedStep> steps = ((PlanOutcome.Found) outcome).path().steps();
        assertThat(steps.stream().map(PlannedStepsPassTheGuardTest::action).toList())
                .containsExactly(actions.isEmpty() ? new String[0] : actions.split(" "));
        Milvus current = milvus;
        for (PlannedStep step : steps) {
            current = apply(current, step);
        }
        Milvus last = current;
        assertThat(MilvusImages.running(last)).allSatisfy(running ->
                assertThat(MilvusImages.versionOf(last, running.image())).contains(Version.of(to)));
    }

    @ParameterizedTest(name = "{0} {1} → {2} passes {3}")
    @CsvSource(delimiter = '|', value = {
            "coordinators           | 2.1.4  | 3.0.5 | 2.5.27 2.5.27 2.6.24 3.0.5",
            "coordinators+indexNode | 2.4.23 | 3.0.5 | 2.5.27 2.5.27 2.6.24 3.0.5",
            "streaming              | 2.6.11 | 3.0.5 | 2.6.24 3.0.5",
            "mixcoord               | 2.5.27 | 3.0.5 | 2.6.24 3.0.5",
    })
    void plansThroughTheNewestPatchOfEachMinor(String shape, String from, String to, String versions) {
        List<PlannedStep> steps = ((PlanOutcome.Found) new UpgradePlanner(UpgradePolicy.builtIn()).plan(start(shape, from), Version.of(to))).path().steps();
        assertThat(steps.stream().map(step -> MilvusImages.runningVersion(step.milvusAfter()).orElseThrow().toString()).toList())
                .containsExactly(versions.split(" "));
        PlannedStep last = steps.getLast();
        assertThat(last).isInstanceOfSatisfying(PlannedStep.ChangeImage.class, change -> assertThat(change.wholeObject())
                .as("3.0 is applied as the whole object").isTrue());
        assertThat(last.milvusAfter().getSpec().getComponents().getIndexNode()).satisfiesAnyOf(
                indexNode -> assertThat(indexNode).isNull(), indexNode -> assertThat(indexNode.getReplicas()).isZero());
    }

    /** The step as its user applies it, judged by the webhook; returns the Milvus after it. */
    static Milvus apply(Milvus before, PlannedStep step) {
        Milvus after = patched(before, step.patch());
        assertThat(tree(after)).as("the patch yields the planned object").isEqualTo(tree(step.milvusAfter()));
        if (step instanceof PlannedStep.MigrateMetadata migrate) {
            Verdict created = new MilvusUpgradeValidator(PolicySource.builtIn(), new FakeCluster().with(before)).validateCreate(migrate.upgrade(), CREATE);
            assertThat(created.errors()).as(step.summary()).isEmpty();
            // The controller starts the target image at NewVersionStarting.
            MilvusUpgrade running = ApiSerialization.json().convertValue(migrate.upgrade(), MilvusUpgrade.class);
            MilvusUpgradeStatus status = new MilvusUpgradeStatus();
            status.setState("NewVersionStarting");
            running.setStatus(status);
            Verdict started = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(running)).validateUpdate(before, after, CONTROLLER);
            assertThat(started.errors()).as(step.summary()).isEmpty();
        } else {
            Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(before, after, USER);
            assertThat(verdict.errors()).as(step.summary()).isEmpty();
        }
        return after;
    }

    static Milvus patched(Milvus milvus, JsonNode patch) {
        return ApiSerialization.json().convertValue(JsonPatch.apply(patch, tree(milvus)), Milvus.class);
    }

    static JsonNode tree(Milvus milvus) {
        return ApiSerialization.json().valueToTree(milvus);
    }

    static String action(PlannedStep step) {
        return switch (step) {
            case PlannedStep.EnableMixCoord ignored -> "enableMixCoord";
            case PlannedStep.ChangeImage ignored -> "changeImage";
            case PlannedStep.MigrateMetadata ignored -> "migrateMetadata";
        };
    }
}
