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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our webhooks and controller next to the REAL Milvus Operator (installed by
 * .ci/install-operator.sh, version pinned in .ci/versions.env), in the with-operator profile: it
 * runs with {@code --webhook --stop-reconcilers=milvusupgrade}, its CRDs and webhook
 * configurations are its own, and its Milvus reconciler writes the Deployments. Only the
 * kubelet's and the Deployment controller's parts are simulated ({@link SimulatedKubelet}, which
 * here writes Deployment status and nothing else). The operator's log is kept in
 * e2e/target/real-operator/.
 */
class RealOperatorE2E {

    static final AtomicInteger NAMESPACES = new AtomicInteger();
    static Path dir;
    static ControlPlane plane;
    static MilvusOperator operator;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        dir = Repository.root().resolve("e2e/target/real-operator");
        Files.createDirectories(dir);
        plane = ControlPlane.start(Files.createTempDirectory("real-operator-plane-"));
        operator = MilvusOperator.start(plane, dir.resolve("operator"), MilvusOperator.Options.withOperatorProfile());
        stack = LocalStack.startNextToInstalledCrds(plane, dir.resolve("stack"));
        stack.startController();
        System.out.println("[real operator] Milvus Operator " + operator.version() + " running; its log: " + operator.log());
    }

    @AfterAll
    static void stop() {
        if (stack != null) stack.close();
        if (operator != null) operator.close();
        if (plane != null) plane.close();
    }

    @Test
    void theOperatorDefaultsAMilvusAndOurGuardValidatesWhatItDefaulted() {
        String ns = namespace("defaults");
        // A 2.6 image on a cluster that lists the four coordinators, msgStreamType unset.
        Kubectl.Result created = apply(ns, """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: my-release, namespace: %s}
                spec:
                  mode: cluster
                  components:
                    image: milvusdb/milvus:v2.6.4
                    rootCoord: {}
                    dataCoord: {}
                    queryCoord: {}
                    indexCoord: {}
                """.formatted(ns));
        assertThat(created.exitCode()).as(created.output()).isZero();
        String components = get(ns, "milvus", "my-release", "{.spec.components}");
        String msgStream = get(ns, "milvus", "my-release", "{.spec.dependencies.msgStreamType}");
        System.out.println("[real operator] stored after its mutating webhook and our validating one: msgStreamType=" + msgStream
                + " components=" + components);
        // Its v1beta1 milvus_webhook.go: msgStreamType defaults to woodpecker only for a standalone
        // >= 2.6; any cluster gets pulsar. For >= 2.6 it adds mixCoord even beside the four listed
        // coordinators, and a streamingNode.
        assertThat(msgStream).isEqualTo("pulsar");
        assertThat(components).contains("\"mixCoord\"", "\"rootCoord\"", "\"streamingNode\"");

        // Our guard reviews the operator-defaulted object: the unsafe jump is still denied.
        Kubectl.Result jump = plane.kubectl("-n", ns, "patch", "milvus", "my-release", "--type", "merge",
                "-p", "{\"spec\":{\"components\":{\"image\":\"milvusdb/milvus:v2.2.0\"}}}");
        System.out.println("[real operator] 2.6.4 -> 2.2.0 by image: " + jump.output().strip());
        assertThat(jump.exitCode()).isNotZero();
    }

    @Test
    void bothMutatingWebhooksDefaultOneMilvusUpgradeWithoutAFight() {
        String ns = namespace("mutating");
        createMilvus(ns, "v2.1.4");
        createUpgrade(ns, "");
        String spec = get(ns, "milvusupgrade", "my-release-upgrade", "{.spec}");
        String generation = get(ns, "milvusupgrade", "my-release-upgrade", "{.metadata.generation}");
        System.out.println("[real operator] MilvusUpgrade after both mutating webhooks: " + spec);
        assertThat(spec).contains("\"targetImage\":\"milvusdb/milvus:v2.2.0\"");
        // Applying what is stored changes nothing: neither webhook undoes the other's defaults.
        // (our controller is already at work on it, so the write is a patch of the spec alone).
        Kubectl.Result again = plane.kubectl("-n", ns, "patch", "milvusupgrade", "my-release-upgrade", "--type", "merge",
                "-p", "{\"spec\":" + spec + "}");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(get(ns, "milvusupgrade", "my-release-upgrade", "{.metadata.generation}")).isEqualTo(generation);
    }

    @Test
    void aV1alpha1WriteIsConvertedByTheOperatorThenGuarded() {
        String ns = namespace("conversion");
        Kubectl.Result created = apply(ns, """
                apiVersion: milvus.io/v1alpha1
                kind: Milvus
                metadata: {name: my-release, namespace: %s}
                spec:
                  image: milvusdb/milvus:v2.1.4
                """.formatted(ns));
        assertThat(created.exitCode()).as(created.output()).isZero();
        // Its v1alpha1 ConvertTo puts spec.image on the standalone component, not on
        // spec.components.image, which its mutating webhook then defaults to its own newest image.
        String image = get(ns, "milvuses.v1beta1.milvus.io", "my-release", "{.spec.components.standalone.image}");
        String global = get(ns, "milvuses.v1beta1.milvus.io", "my-release", "{.spec.components.image}");
        System.out.println("[real operator] v1alpha1 spec.image, read as v1beta1 through its /convert: components.standalone.image="
                + image + " components.image=" + global);
        assertThat(image).isEqualTo("milvusdb/milvus:v2.1.4");

        Kubectl.Result jump = plane.kubectl("-n", ns, "patch", "milvuses.v1alpha1.milvus.io", "my-release", "--type", "merge",
                "-p", "{\"spec\":{\"image\":\"milvusdb/milvus:v2.2.0\"}}");
        System.out.println("[real operator] the unsafe jump written as v1alpha1: " + jump.output().strip());
        assertThat(jump.exitCode()).isNotZero();
        assertThat(jump.output()).contains("loses built indexes");
    }

    @Test
    void theOperatorWritesTheDeploymentsOnceItsDependenciesAreReady() {
        String ns = namespace("deployments");
        try (SimulatedKubelet kubelet = SimulatedKubelet.besideRealOperator(plane.adminClient(), ns)) {
            createMilvus(ns, "v2.1.4");
            List<String> seen = new ArrayList<>();
            Poll.until(Duration.ofSeconds(120), "the operator's Deployments for my-release (log: " + operator.log() + ")", () -> {
                String names = plane.kubectl("-n", ns, "get", "deployments", "-l", "app.kubernetes.io/instance=my-release",
                        "-o", "jsonpath={.items[*].metadata.name}").stdout().strip();
                String status = get(ns, "milvus", "my-release", "{.status.status}");
                String line = "status=" + status + " deployments=[" + names + "]";
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(line)) {
                    seen.add(line);
                    System.out.println("[real operator] " + line);
                }
                return !names.isEmpty();
            });
        }
    }

    @Test
    void theGuidesUpgradeRunsToSucceededWithTheOperatorsMilvusReconciler() {
        String ns = namespace("upgrade");
        try (SimulatedKubelet kubelet = SimulatedKubelet.besideRealOperator(plane.adminClient(), ns);
                UpgradeStates states = UpgradeStates.watch(plane.adminClient(), ns, "my-release-upgrade")) {
            createMilvus(ns, "v2.1.4");
            awaitDeployments(ns);
            createUpgrade(ns, "");
            states.await("Succeeded", UPGRADE_TIMEOUT);
            System.out.println("[real operator] guide's upgrade: " + states);
            assertThat(states.seen()).containsSubsequence("OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting", "Succeeded");
            assertThat(get(ns, "milvus", "my-release", "{.spec.components.image}")).isEqualTo("milvusdb/milvus:v2.2.0");
            assertThat(deploymentImages(ns)).as("the operator rolled its Deployments to the new image").contains("milvusdb/milvus:v2.2.0");
        }
    }

    @Test
    void aFailingMigrationRollsBackWithTheOperatorsMilvusReconciler() {
        String ns = namespace("rollback");
        try (SimulatedKubelet kubelet = SimulatedKubelet.besideRealOperator(plane.adminClient(), ns);
                UpgradeStates states = UpgradeStates.watch(plane.adminClient(), ns, "my-release-upgrade")) {
            kubelet.jobs((kind, attempt) -> kind.equals("update-meta") ? SimulatedKubelet.Outcome.FAIL : SimulatedKubelet.Outcome.SUCCEED);
            createMilvus(ns, "v2.1.4");
            awaitDeployments(ns);
            createUpgrade(ns, "maxRetry: 1");
            states.await("RollbackedSucceeded", UPGRADE_TIMEOUT);
            System.out.println("[real operator] failing migration: " + states);
            assertThat(get(ns, "milvus", "my-release", "{.spec.components.image}")).isEqualTo("milvusdb/milvus:v2.1.4");
            assertThat(deploymentImages(ns)).doesNotContain("milvusdb/milvus:v2.2.0");
        }
    }

    @Test
    void aDeletionMidWayKeepsTheBackupUntilRolledBackWithTheOperatorsMilvusReconciler() {
        String ns = namespace("deletion");
        try (SimulatedKubelet kubelet = SimulatedKubelet.besideRealOperator(plane.adminClient(), ns);
                UpgradeStates states = UpgradeStates.watch(plane.adminClient(), ns, "my-release-upgrade")) {
            kubelet.jobs((kind, attempt) -> kind.equals("update-meta") ? SimulatedKubelet.Outcome.RUN : SimulatedKubelet.Outcome.SUCCEED);
            createMilvus(ns, "v2.1.4");
            awaitDeployments(ns);
            createUpgrade(ns, "");
            states.await("UpdatingMeta", UPGRADE_TIMEOUT);
            assertThat(plane.kubectl("-n", ns, "delete", "milvusupgrade", "my-release-upgrade", "--wait=false").exitCode()).isZero();
            boolean backupStayed = true;
            long deadline = System.nanoTime() + UPGRADE_TIMEOUT.toNanos();
            while (!get(ns, "milvusupgrade", "my-release-upgrade", "{.metadata.name}").isEmpty()) {
                assertThat(System.nanoTime()).as("the deleted upgrade is released in time; " + states).isLessThan(deadline);
                backupStayed &= !get(ns, "pvc", "my-release-upgrade", "{.metadata.name}").isEmpty();
            }
            System.out.println("[real operator] deleted mid-way: " + states);
            assertThat(backupStayed).as("the backup PVC while the upgrade existed").isTrue();
            assertThat(states.seen()).contains("RollbackRestoringOldMeta", "RollbackOldVersionStarting");
            assertThat(get(ns, "milvus", "my-release", "{.spec.components.image}")).isEqualTo("milvusdb/milvus:v2.1.4");
        }
    }

    @Test
    void from2516To26ByImageChangeUnderTheOperatorWithOurGuardInFront() {
        String ns = namespace("to-2-6");
        try (SimulatedKubelet kubelet = SimulatedKubelet.besideRealOperator(plane.adminClient(), ns)) {
            createMilvus(ns, "v2.5.16");
            awaitDeployments(ns);
            System.out.println("[real operator] 2.5.16: msgStreamType=" + get(ns, "milvus", "my-release", "{.spec.dependencies.msgStreamType}")
                    + " deployments=" + deploymentImages(ns));
            Kubectl.Result patched = plane.kubectl("-n", ns, "patch", "milvus", "my-release", "--type", "merge",
                    "-p", "{\"spec\":{\"components\":{\"image\":\"milvusdb/milvus:v2.6.24\"}}}");
            System.out.println("[real operator] 2.5.16 -> 2.6.24 by image: " + patched.output().strip());
            assertThat(patched.exitCode()).as(patched.output()).isZero();
            List<String> seen = new ArrayList<>();
            Poll.until(Duration.ofSeconds(120), "the operator's Deployments on 2.6.24 (log: " + operator.log() + ")", () -> {
                String line = "status=" + get(ns, "milvus", "my-release", "{.status.status}") + " deployments=" + deploymentImages(ns);
                if (seen.isEmpty() || !seen.getLast().equals(line)) {
                    seen.add(line);
                    System.out.println("[real operator] " + line);
                }
                return deploymentImages(ns).contains("milvusdb/milvus:v2.6.24");
            });
        }
    }

    // --- helpers

    static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(240);

    /** Its Milvus reconciler writes them only once its dependency checks passed (every 30 s). */
    static void awaitDeployments(String ns) {
        Poll.until(Duration.ofSeconds(120), "the operator's Deployments in " + ns + " (log: " + operator.log() + ")",
                () -> !deploymentImages(ns).isEmpty());
    }

    static String deploymentImages(String ns) {
        return plane.kubectl("-n", ns, "get", "deployments", "-l", "app.kubernetes.io/instance=my-release",
                "-o", "jsonpath={.items[*].spec.template.spec.containers[0].image}").stdout().strip();
    }

    static void createUpgrade(String ns, String extraSpec) {
        Kubectl.Result created = apply(ns, """
                apiVersion: milvus.io/v1beta1
                kind: MilvusUpgrade
                metadata: {name: my-release-upgrade, namespace: %s}
                spec:
                  milvus: {name: my-release}
                  sourceVersion: "v2.1.4"
                  targetVersion: "v2.2.0"
                  %s
                """.formatted(ns, extraSpec));
        assertThat(created.exitCode()).as(created.output()).isZero();
    }


    static String namespace(String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        Kubectl.Result created = plane.kubectl("create", "namespace", name);
        assertThat(created.exitCode()).as(created.output()).isZero();
        return name;
    }

    static void createMilvus(String ns, String version) {
        Kubectl.Result created = apply(ns, """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: my-release, namespace: %s}
                spec:
                  mode: standalone
                  components: {image: milvusdb/milvus:%s}
                %s""".formatted(ns, version, operator.externalDependencies(ns)));
        assertThat(created.exitCode()).as(created.output()).isZero();
    }

    static Kubectl.Result apply(String ns, String yaml) {
        return Kubectl.run(plane.kubeconfig(), yaml, "-n", ns, "apply", "-f", "-");
    }

    static String get(String ns, String kind, String name, String jsonpath) {
        return plane.kubectl("-n", ns, "get", kind, name, "-o", "jsonpath=" + jsonpath).stdout().strip();
    }
}
