package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Repository;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The install manifests against the real apiserver: they apply, and the RBAC is what it should be. */
@ExtendWith(LocalStackExtension.class)
class ManifestsE2E {

    static final String WEBHOOK = "system:serviceaccount:milvus-upgrade-system:milvus-upgrade-webhook";
    static final String CONTROLLER = "system:serviceaccount:milvus-upgrade-system:milvus-upgrade-controller";

    @Test
    void theSamplesPassAServerSideDryRun(LocalStack stack) {
        for (String sample : new String[] {"milvus-my-release.yaml", "milvusupgrade-my-release.yaml"}) {
            Kubectl.Result result = Kubectl.run(stack.kubeconfig(), null, "apply", "--dry-run=server", "-f",
                    Repository.root().resolve("manifests/samples").resolve(sample).toString());
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
    }

    @Test
    void theCertManagerOverlayBuilds(LocalStack stack) {
        Kubectl.Result result = Kubectl.run(stack.kubeconfig(), null, "kustomize", Repository.root().resolve("manifests/overlays/cert-manager/standalone").toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("cert-manager.io/inject-ca-from: milvus-upgrade-system/milvus-upgrade-webhook").doesNotContain("--cert-secret");
    }

    /**
     * The images cannot be built here, so each jar runs with exactly its Deployment's arguments
     * and environment; only what a pod gets from its volumes and service account is mapped to
     * local paths and a kubeconfig. The webhook joins the running one as a second replica.
     */
    @Test
    void theWebhookJarRunsWithTheDeploymentsArguments(LocalStack stack, @TempDir Path dir) throws Exception {
        int port = io.milvus.upgrade.localstack.Ports.free();
        // The ConfigMap's files as the pod's volume has them: the templates, not the kustomization.
        Path templates = java.nio.file.Files.createDirectories(dir.resolve("webhook-configurations"));
        for (String file : java.util.List.of("mutating.yaml", "validating.yaml")) {
            java.nio.file.Files.copy(Repository.root().resolve("manifests/webhook-configurations").resolve(file), templates.resolve(file));
        }
        Process process = io.milvus.upgrade.localstack.DeploymentArguments.start(stack, "base/webhook.yaml", "webhook/target/milvus-webhook.jar", dir, java.util.Map.of(
                "--port=9443", "--port=" + port,
                "--tls-dir=/tls/serving", "--tls-dir=" + dir.resolve("tls"),
                "--shutdown-delay=5s", "--shutdown-delay=0s",
                "--policy=/etc/milvus-upgrade/policy.yaml", "--policy=" + stack.policyFile(),
                "--webhook-configurations=/etc/milvus-upgrade-webhooks", "--webhook-configurations=" + templates,
                // This stack has no Deployment of the webhook: one named there would count as deleted (HelmE2E tests that).
                "--deployment=milvus-upgrade-webhook", "--deployment="),
                java.util.List.of("--bind=127.0.0.1", "--kubeconfig=" + stack.controlPlane().webhookKubeconfig()),
                java.util.Map.of("POD_NAMESPACE", LocalStack.NAMESPACE));
        try {
            io.milvus.upgrade.localstack.Poll.until(java.time.Duration.ofSeconds(60), "the second replica to be ready", () -> {
                try {
                    return java.nio.file.Files.isRegularFile(dir.resolve("tls/ca.crt")) && new io.milvus.upgrade.localstack.HttpsClient(
                            dir.resolve("tls/ca.crt"), port, java.net.http.HttpClient.Version.HTTP_2).get("/readyz").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(java.nio.file.Files.readString(dir.resolve("tls/ca.crt"))).as("the same CA as the first replica")
                    .isEqualTo(java.nio.file.Files.readString(stack.caCertificate()));
            // This stack has no Service (the apiserver calls the first replica by URL): registration waits, and says for what.
            io.milvus.upgrade.localstack.Poll.until(java.time.Duration.ofSeconds(30), "the registration to wait for the Service", () -> {
                try {
                    return java.nio.file.Files.readString(dir.resolve("process.log")).contains(
                            "event=webhook_registration_waiting for=\"Service milvus-upgrade-system/milvus-upgrade-webhook\"");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } finally {
            io.milvus.upgrade.localstack.JavaProcess.stop(process);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} -n {3}: {4}")
    @CsvSource({
            // the webhook reads Milvus objects and keeps its certificates, nothing more
            "webhook, get, milvuses.milvus.io, default, yes",
            "webhook, list, milvusupgrades.milvus.io, default, yes",
            "webhook, update, milvuses.milvus.io, default, no",
            "webhook, delete, milvusupgrades.milvus.io, default, no",
            "webhook, create, secrets, milvus-upgrade-system, yes",
            "webhook, update, secrets/milvus-upgrade-webhook-tls, milvus-upgrade-system, yes",
            "webhook, update, secrets/other, milvus-upgrade-system, no",
            "webhook, get, secrets, default, no",
            "webhook, patch, mutatingwebhookconfigurations/milvus-upgrade-mutating, '', yes",
            "webhook, patch, validatingwebhookconfigurations/milvus-upgrade-validating, '', yes",
            "webhook, patch, mutatingwebhookconfigurations/someone-elses, '', no",
            // it registers its own webhook configurations, owned by its ClusterRole, once its Service has endpoints
            "webhook, create, validatingwebhookconfigurations, '', yes",
            // and removes them when the install goes away
            "webhook, delete, validatingwebhookconfigurations/milvus-upgrade-validating, '', yes",
            "webhook, delete, mutatingwebhookconfigurations/milvus-upgrade-mutating, '', yes",
            "webhook, delete, validatingwebhookconfigurations/someone-elses, '', no",
            "webhook, get, clusterroles.rbac.authorization.k8s.io/milvus-upgrade-webhook, '', yes",
            "webhook, get, clusterroles.rbac.authorization.k8s.io/cluster-admin, '', no",
            "webhook, get, deployments.apps/milvus-upgrade-webhook, milvus-upgrade-system, yes",
            "webhook, get, deployments.apps/other, milvus-upgrade-system, no",
            "webhook, get, namespaces/milvus-upgrade-system, '', yes",
            "webhook, get, namespaces/default, '', no",
            "webhook, update, namespaces/milvus-upgrade-system, '', no",
            "webhook, get, endpoints/milvus-upgrade-webhook, milvus-upgrade-system, yes",
            "webhook, get, endpoints/other, milvus-upgrade-system, no",
            // the CRD only in the standalone profile, whose RBAC this stack has (its CRDs are ours)
            "webhook, patch, customresourcedefinitions/milvuses.milvus.io, '', yes",
            "webhook, patch, customresourcedefinitions/milvusupgrades.milvus.io, '', no",
            // the controller runs upgrades
            "controller, update, milvusupgrades.milvus.io/status, default, yes",
            "controller, update, milvuses.milvus.io, default, yes",
            "controller, delete, milvuses.milvus.io, default, no",
            "controller, create, jobs.batch, default, yes",
            "controller, create, configmaps, default, yes",
            "controller, create, persistentvolumeclaims, default, yes",
            "controller, create, events, default, yes",
            "controller, create, secrets, default, no",
            "controller, update, deployments.apps, default, no",
            "controller, create, pods, default, no",
            "controller, create, leases.coordination.k8s.io, milvus-upgrade-system, yes",
            "controller, create, leases.coordination.k8s.io, default, no",
    })
    void rbacIsLeastPrivilege(String who, String verb, String resource, String namespace, String expected, LocalStack stack) {
        String user = who.equals("webhook") ? WEBHOOK : CONTROLLER;
        var args = new java.util.ArrayList<>(java.util.List.of("auth", "can-i", verb, resource, "--as=" + user));
        if (!namespace.isEmpty()) args.add("--namespace=" + namespace);
        Kubectl.Result result = Kubectl.run(stack.kubeconfig(), null, args.toArray(String[]::new));
        assertThat(result.stdout().trim()).as(result.output()).isEqualTo(expected);
    }
}
