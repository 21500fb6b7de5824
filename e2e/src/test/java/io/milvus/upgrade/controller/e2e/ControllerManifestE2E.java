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

    @Test
    void theControllerJarRunsWithTheDeploymentsArguments(LocalStack stack, @TempDir Path dir) throws Exception {
        int port = io.milvus.upgrade.localstack.Ports.free();
        Process process = DeploymentArguments.start(stack, "controller/controller.yaml", "controller/target/milvus-upgrade-controller.jar", dir,
                java.util.Map.of("--metrics-port=8080", "--metrics-port=" + port),
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
        } finally {
            io.milvus.upgrade.localstack.JavaProcess.stop(process);
        }
    }
}
