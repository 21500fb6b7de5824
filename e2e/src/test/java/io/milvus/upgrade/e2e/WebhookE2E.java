package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Repository;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admission through a real kube-apiserver: kubectl and the fabric8 client against our webhook
 * server, registered with the manifests' webhook configurations.
 */
@ExtendWith(LocalStackExtension.class)
class WebhookE2E {

    static LocalStack stack;
    static KubernetesClient client;

    @BeforeAll
    static void setUp(LocalStack localStack) {
        stack = localStack;
        client = stack.client();
        // The apiserver picks up new webhook configurations asynchronously: wait until ours answer.
        String probe = upgradeYaml("probe-" + UUID.randomUUID().toString().substring(0, 8), "default", "my-release", "2.1.4", "2.6.0", "");
        Poll.until(Duration.ofSeconds(30), "the webhooks to be called", () -> kubectl(probe, "apply", "--dry-run=server", "-f", "-")
                .output().contains("upgrade to 2.5.27 with a MilvusUpgrade"));
    }

    static Kubectl.Result kubectl(String stdin, String... args) {
        return Kubectl.run(stack.kubeconfig(), stdin, args);
    }

    static String namespace() {
        String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    static String milvusYaml(String name, String namespace, String image) {
        return """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  mode: standalone
                  components:
                    image: %s
                  dependencies:
                    etcd:
                      inCluster:
                        deletionPolicy: Delete
                """.formatted(name, namespace, image);
    }

    static String upgradeYaml(String name, String namespace, String milvus, String source, String target, String extra) {
        return """
                apiVersion: milvus.io/v1beta1
                kind: MilvusUpgrade
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  milvus:
                    name: %s
                  sourceVersion: "%s"
                  targetVersion: "%s"
                %s""".formatted(name, namespace, milvus, source, target, extra.indent(2));
    }

    static void createMilvus(String namespace, String name, String image) {
        Kubectl.Result result = kubectl(milvusYaml(name, namespace, image), "apply", "-f", "-");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theGuidesExampleIsStoredWithEveryDefault() throws Exception {
        String ns = "default";
        createMilvus(ns, "my-release", "milvusdb/milvus:v2.1.4");
        String guide = java.nio.file.Files.readString(Repository.root().resolve("manifests/samples/milvusupgrade-my-release.yaml"));
        Kubectl.Result applied = kubectl(guide, "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        try {
            MilvusUpgrade stored = client.resources(MilvusUpgrade.class).inNamespace(ns).withName("my-release-upgrade").get();
            var spec = stored.getSpec();
            assertThat(spec.getMilvus().getNamespace()).isEqualTo("default");
            assertThat(spec.getTargetImage()).isEqualTo("milvusdb/milvus:v2.2.0");
            assertThat(spec.getToolImage()).isEqualTo("milvusdb/meta-migration:v2.2.0-bugfix-20230112");
            assertThat(spec.getOperation()).isEqualTo("upgrade");
            assertThat(spec.getRollbackIfFailed()).isTrue();
            assertThat(spec.getMaxRetry()).isEqualTo(3);
            Kubectl.Result columns = kubectl(null, "get", "mup", "-n", ns);
            assertThat(columns.stdout()).contains("STATE", "MILVUS", "SOURCE", "TARGET", "AGE").contains("my-release-upgrade", "v2.1.4", "v2.2.0");
        } finally {
            client.resources(MilvusUpgrade.class).inNamespace(ns).withName("my-release-upgrade").delete();
        }
    }

    @Test
    void explicitFalseAndZeroSurviveAdmission() {
        String ns = namespace();
        createMilvus(ns, "m", "milvusdb/milvus:v2.1.4");
        Kubectl.Result applied = kubectl(upgradeYaml("u", ns, "m", "2.1.4", "2.2.0", "rollbackIfFailed: false\nmaxRetry: 0"), "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        MilvusUpgrade stored = client.resources(MilvusUpgrade.class).inNamespace(ns).withName("u").get();
        assertThat(stored.getSpec().getRollbackIfFailed()).isFalse();
        assertThat(stored.getSpec().getMaxRetry()).isZero();
    }

    @Test
    void upgradeDenialsReachTheKubectlUser() {
        String ns = namespace();
        createMilvus(ns, "m", "milvusdb/milvus:v2.1.4");
        assertDenied(upgradeYaml("a", ns, "m", "2.1.4", "2.6.0", ""), "upgrade to 2.5.27 with a MilvusUpgrade (sourceVersion 2.1.4, targetVersion 2.5.27) first, then");
        assertDenied(upgradeYaml("b", ns, "m", "2.2.0", "2.3.0", ""), "no metadata migration is needed between 2.2.x and 2.3.x");
        assertDenied(upgradeYaml("c", ns, "m", "2.0.0-rc1", "2.2.0", ""), "pre-releases of 2.0.0");
        assertDenied(upgradeYaml("d", ns, "m", "2.1.4", "2.2.0-rc1", ""), "not a pre-release of 2.2.0");
        assertDenied(upgradeYaml("e", ns, "m", "2.1.3", "2.2.0", ""), "runs milvusdb/milvus:v2.1.4");
        assertDenied(upgradeYaml("f", ns, "m", "2.1.4", "2.2.0", "maxRetry: 11"), "spec.maxRetry");
        assertDenied(upgradeYaml("g", ns, "m", "2.1.4", "2.2.0", "targetImage: milvusdb/milvus:v2.3.1"), "its tag is version 2.3.1 but targetVersion is 2.2.0");
        assertDenied(upgradeYaml("h", ns, "m", "latest", "2.2.0", ""), "not a semantic version");
        assertDenied(upgradeYaml("i", ns, "m", "2.1.4", "2.2.0", "operation: downgrade"), "supported values: \"upgrade\", \"rollback\"");

        Kubectl.Result first = kubectl(upgradeYaml("first", ns, "m", "2.1.4", "2.2.0", ""), "apply", "-f", "-");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertDenied(upgradeYaml("second", ns, "m", "2.1.4", "2.2.0", ""), "is still working on Milvus " + ns + "/m");
    }

    @Test
    void aStartedUpgradeIsFrozen() {
        String ns = namespace();
        createMilvus(ns, "m", "milvusdb/milvus:v2.1.4");
        assertThat(kubectl(upgradeYaml("u", ns, "m", "2.1.4", "2.2.0", ""), "apply", "-f", "-").exitCode()).isZero();
        MilvusUpgrade upgrade = client.resources(MilvusUpgrade.class).inNamespace(ns).withName("u").get();
        MilvusUpgradeStatus status = new MilvusUpgradeStatus();
        status.setState("BackupMeta");
        upgrade.setStatus(status);
        client.resources(MilvusUpgrade.class).inNamespace(ns).resource(upgrade).updateStatus();

        assertDenied(upgradeYaml("u", ns, "m", "2.1.4", "2.2.1", ""), "cannot change once the upgrade has started (state BackupMeta)");
        Kubectl.Result rollback = kubectl(null, "patch", "mup", "u", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"operation\":\"rollback\"}}");
        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        Kubectl.Result back = kubectl(null, "patch", "mup", "u", "-n", ns, "--type=merge", "-p", "{\"spec\":{\"operation\":\"upgrade\"}}");
        assertThat(back.exitCode()).isNotZero();
        assertThat(back.output()).contains("a rollback cannot be turned back into an upgrade");
    }

    @Test
    void theUnsafeImageJumpIsDeniedAndSafeChangesPass() {
        String ns = namespace();
        createMilvus(ns, "m", "milvusdb/milvus:v2.1.4");
        assertDenied(milvusYaml("m", ns, "milvusdb/milvus:v2.2.0"), "changing the image from 2.1.x to 2.2.x loses built indexes; create a MilvusUpgrade");
        assertThat(kubectl(milvusYaml("m", ns, "milvusdb/milvus:v2.1.5"), "apply", "-f", "-").exitCode()).isZero();
        assertDenied(milvusYaml("m", ns, "milvusdb/milvus:latest"), "pin a version tag");
        assertDenied(milvusYaml("latest", ns, "milvusdb/milvus:latest"), "pin a version tag");
        Milvus stored = client.resources(Milvus.class).inNamespace(ns).withName("m").get();
        assertThat(stored.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.5");

        assertThat(kubectl(upgradeYaml("u", ns, "m", "2.1.5", "2.2.0", ""), "apply", "-f", "-").exitCode()).isZero();
        assertDenied(milvusYaml("m", ns, "milvusdb/milvus:v2.1.6"), "MilvusUpgrade u is working on Milvus " + ns + "/m");
    }

    @Test
    void serverSideDryRunHasNoSideEffects() {
        String ns = namespace();
        createMilvus(ns, "m", "milvusdb/milvus:v2.1.4");
        Kubectl.Result dryRun = kubectl(upgradeYaml("dry", ns, "m", "2.1.4", "2.2.0", ""), "apply", "--dry-run=server", "-f", "-", "-o", "yaml");
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(dryRun.stdout()).contains("targetImage: milvusdb/milvus:v2.2.0").contains("maxRetry: 3");
        assertThat(client.resources(MilvusUpgrade.class).inNamespace(ns).withName("dry").get()).isNull();
        assertDenied(upgradeYaml("dry", ns, "m", "2.1.4", "2.6.0", ""), "upgrade to 2.5.27 with a MilvusUpgrade");
    }

    @Test
    void theFabric8ClientSeesTheSameDenials() {
        String ns = namespace();
        createMilvus(ns, "m", "milvusdb/milvus:v2.1.4");
        Milvus milvus = client.resources(Milvus.class).inNamespace(ns).withName("m").get();
        milvus.getSpec().getComponents().setImage("milvusdb/milvus:v2.2.0");
        try {
            client.resources(Milvus.class).inNamespace(ns).resource(milvus).update();
            throw new AssertionError("the unsafe jump was not denied");
        } catch (KubernetesClientException e) {
            assertThat(e.getCode()).as("our Status code passes through").isEqualTo(422);
            assertThat(e.getMessage()).contains("loses built indexes");
        }
    }

    @Test
    void aDownWebhookFailsClosedAndABackUpOnePassesAgain() {
        String ns = namespace();
        stack.stopWebhook();
        try {
            Kubectl.Result down = kubectl(milvusYaml("m", ns, "milvusdb/milvus:v2.1.4"), "apply", "-f", "-");
            assertThat(down.exitCode()).isNotZero();
            assertThat(down.output()).contains("failed calling webhook \"vmilvus.milvus.io\"");
            assertThat(client.resources(Milvus.class).inNamespace(ns).withName("m").get()).isNull();
        } finally {
            stack.startWebhook();
        }
        Kubectl.Result up = kubectl(milvusYaml("m", ns, "milvusdb/milvus:v2.1.4"), "apply", "-f", "-");
        assertThat(up.exitCode()).as(up.output()).isZero();
    }

    static void assertDenied(String yaml, String message) {
        Kubectl.Result result = kubectl(yaml, "apply", "-f", "-");
        assertThat(result.exitCode()).as("expected a denial containing '" + message + "' but got: " + result.output()).isNotZero();
        assertThat(result.stderr()).contains(message);
    }
}
