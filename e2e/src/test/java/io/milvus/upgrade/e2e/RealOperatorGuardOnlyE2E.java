package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.MilvusOperator;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Repository;
import io.milvus.upgrade.localstack.SimulatedKubelet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guard-only profile next to the REAL Milvus Operator: its own MilvusUpgrade reconciler runs
 * the guide's upgrade, our validating webhooks only (started with the profile's
 * {@code --controller-user}, the operator's service-account user) check each of its writes. Only
 * the kubelet's parts are simulated: Deployment status and the phase of its migration Pods. Its
 * log is kept in e2e/target/real-operator-guard-only/.
 */
class RealOperatorGuardOnlyE2E {

    static final String SOMEONE = "system:serviceaccount:default:someone";
    static ControlPlane plane;
    static MilvusOperator operator;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Repository.root().resolve("e2e/target/real-operator-guard-only");
        Files.createDirectories(dir);
        plane = ControlPlane.start(Files.createTempDirectory("real-operator-guard-only-plane-"));
        operator = MilvusOperator.start(plane, dir.resolve("operator"), MilvusOperator.Options.guardOnlyProfile());
        stack = LocalStack.startNextToInstalledCrds(plane, dir.resolve("stack"));
        // The guard-only profile: our validating webhooks only, the operator's user named.
        assertThat(plane.kubectl("delete", "mutatingwebhookconfiguration", "milvus-upgrade-mutating").exitCode()).isZero();
        stack.stopWebhook();
        stack.startWebhook(List.of(NextToOperatorE2E.guardOnlyControllerUser()));
        NextToOperatorE2E.grantMilvusWrites(stack, SOMEONE);
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
        if (operator != null) operator.close();
        if (plane != null) plane.close();
    }

    @Test
    void theOperatorsOwnUpgradePassesOurGuardStepByStepAndNobodyElsesImageChangeDoes() {
        String ns = "guard-only";
        assertThat(plane.kubectl("create", "namespace", ns).exitCode()).isZero();
        try (SimulatedKubelet kubelet = SimulatedKubelet.besideRealOperator(plane.adminClient(), ns);
                UpgradeStates states = UpgradeStates.watch(plane.adminClient(), ns, "my-release-upgrade")) {
            Kubectl.Result created = Kubectl.run(plane.kubeconfig(), """
                    apiVersion: milvus.io/v1beta1
                    kind: Milvus
                    metadata: {name: my-release, namespace: %s}
                    spec:
                      mode: standalone
                      components: {image: milvusdb/milvus:v2.1.4}
                    %s""".formatted(ns, operator.externalDependencies(ns)), "apply", "-f", "-");
            assertThat(created.exitCode()).as(created.output()).isZero();
            Poll.until(Duration.ofSeconds(120), "the operator's Deployments (log: " + operator.log() + ")", () ->
                    !plane.kubectl("-n", ns, "get", "deployments", "-o", "name").stdout().isBlank());

            Kubectl.Result someone = NextToOperatorE2E.patchAs(stack, ns, SOMEONE);
            System.out.println("[real operator, guard-only] 2.1.4 -> 2.2.0 by image, as someone else: " + someone.output().strip());
            assertThat(someone.exitCode()).isNotZero();

            Kubectl.Result upgrade = Kubectl.run(plane.kubeconfig(), """
                    apiVersion: milvus.io/v1beta1
                    kind: MilvusUpgrade
                    metadata: {name: my-release-upgrade, namespace: %s}
                    spec:
                      milvus: {name: my-release, namespace: %s}
                      sourceVersion: "v2.1.4"
                      targetVersion: "v2.2.0"
                      targetImage: milvusdb/milvus:v2.2.0
                    """.formatted(ns, ns), "create", "-f", "-");
            assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
            // spec.milvus.namespace is spelled out as in its own sample (config/samples/milvusupgrade.yaml):
            // its reconciler reads the Milvus from exactly that namespace, empty included ("not
            // found", retried forever), and nothing defaults it in this profile (our mutating
            // webhook, which does, is not installed).
            // It waits 60 s after it saw Milvus stopped (milvus.io/stopped-at) before its backup.
            states.await("BackupMeta", Duration.ofSeconds(240));
            Kubectl.Result midway = NextToOperatorE2E.patchAs(stack, ns, SOMEONE);
            System.out.println("[real operator, guard-only] the same change by someone else at " + states.seen().getLast() + ": "
                    + midway.output().strip());
            assertThat(midway.exitCode()).isNotZero();
            states.await("Succeeded", Duration.ofSeconds(240));
            System.out.println("[real operator, guard-only] the operator's own upgrade: " + states);
            assertThat(states.seen()).containsSubsequence("OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting", "Succeeded");
            assertThat(plane.kubectl("-n", ns, "get", "milvus", "my-release", "-o", "jsonpath={.spec.components.image}").stdout())
                    .isEqualTo("milvusdb/milvus:v2.2.0");
        }
    }
}
