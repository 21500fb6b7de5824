package io.milvus.upgrade.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.DeploymentArguments;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The controller image cannot be built here: its jar runs with the Deployment's own arguments instead. */
@ExtendWith(LocalStackExtension.class)
class ControllerManifestE2E {

    /** The controller reads the admin's policy from the same ConfigMap, at the same path, as the webhook. */
    @Test
    void theControllerMountsThePolicyTheWebhookReads(LocalStack stack) throws Exception {
        var webhook = container(stack, "base/webhook.yaml");
        var controller = container(stack, "controller/controller.yaml");
        assertThat(controller.args()).contains("--policy=/etc/milvus-upgrade/policy.yaml");
        assertThat(webhook.args()).contains("--policy=/etc/milvus-upgrade/policy.yaml");
        assertThat(controller.policyConfigMap()).isEqualTo(webhook.policyConfigMap()).isEqualTo("milvus-upgrade-policy");
    }

    record Container(java.util.List<String> args, String policyConfigMap) {
    }

    static Container container(LocalStack stack, String manifest) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(io.milvus.upgrade.localstack.Repository.root().resolve("manifests").resolve(manifest))) {
            var pod = stack.client().load(in).items().stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                    .map(o -> (io.fabric8.kubernetes.api.model.apps.Deployment) o).findFirst().orElseThrow().getSpec().getTemplate().getSpec();
            var container = pod.getContainers().get(0);
            String mountedVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/etc/milvus-upgrade"))
                    .map(io.fabric8.kubernetes.api.model.VolumeMount::getName).findFirst().orElse(null);
            String configMap = pod.getVolumes().stream().filter(v -> v.getName().equals(mountedVolume) && v.getConfigMap() != null)
                    .map(v -> v.getConfigMap().getName()).findFirst().orElse(null);
            return new Container(container.getArgs(), configMap);
        }
    }

    @Test
    void theControllerJarRunsWithTheDeploymentsArguments(LocalStack stack, @TempDir Path dir) throws Exception {
        int port = io.milvus.upgrade.localstack.Ports.free();
        Process process = DeploymentArguments.start(stack, "controller/controller.yaml", "controller/target/milvus-upgrade-controller.jar", dir,
                java.util.Map.of("--metrics-port=8080", "--metrics-port=" + port,
                        "--policy=/etc/milvus-upgrade/policy.yaml", "--policy=" + stack.policyFile()),
                java.util.List.of("--kubeconfig=" + stack.controlPlane().controllerKubeconfig()),
                java.util.Map.of("POD_NAME", "controller-manifest-test"));
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            io.milvus.upgrade.localstack.Poll.until(java.time.Duration.ofSeconds(60), "the controller's /healthz", () -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(process.isAlive()).isTrue();
            // One policy, one registry: the policy it loaded is reported on the /metrics it serves.
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("milvus_upgrade_policy_last_reload_success 1.0", "milvus_upgrade_controller_leader");
        } finally {
            io.milvus.upgrade.localstack.JavaProcess.stop(process);
        }
    }
}
