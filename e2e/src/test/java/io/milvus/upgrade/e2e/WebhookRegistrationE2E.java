package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.JavaProcess;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Ports;
import io.milvus.upgrade.localstack.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-registration on a control plane of its own, with the webhook jar as its service account
 * (RBAC from manifests/base): no configuration before the Service has a ready endpoint, then
 * ours with the CA bundle and our ClusterRole as owner, drift put back, a foreign configuration of
 * the same name left alone, and ours removed, not registered again, once uninstalling deleted the Service.
 */
class WebhookRegistrationE2E {

    static final String NAMESPACE = "milvus-upgrade-system";
    static final String WAITING_FOR_ENDPOINT = "event=webhook_registration_waiting for=\"a ready endpoint of Service milvus-upgrade-system/milvus-upgrade-webhook\"";
    static final String WAITING_FOR_SERVICE = "event=webhook_registration_waiting for=\"Service milvus-upgrade-system/milvus-upgrade-webhook\"";

    @Test
    void theWebhookRegistersItsConfigurationsOnceReachableAndOnlyItsOwn(@TempDir Path dir) throws Exception {
        try (ControlPlane plane = ControlPlane.start(dir.resolve("plane")); KubernetesClient admin = plane.adminClient()) {
            for (String file : List.of("base/namespace.yaml", "base/rbac-webhook.yaml")) {
                Kubectl.Result applied = plane.kubectl("apply", "-f", Repository.root().resolve("manifests").resolve(file).toString());
                assertThat(applied.exitCode()).as(applied.output()).isZero();
            }
            Path templates = Files.createDirectories(dir.resolve("templates"));
            for (String file : List.of("mutating.yaml", "validating.yaml")) {
                Files.copy(Repository.root().resolve("manifests/webhook-configurations").resolve(file), templates.resolve(file));
            }
            // Someone else's configuration that happens to have our mutating one's name.
            Kubectl.Result foreign = Kubectl.run(plane.kubeconfig(), """
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: MutatingWebhookConfiguration
                    metadata:
                      name: milvus-upgrade-mutating
                    webhooks:
                      - name: theirs.example.com
                        admissionReviewVersions: [v1]
                        sideEffects: None
                        failurePolicy: Ignore
                        clientConfig:
                          url: https://theirs.example.com/mutate
                        rules:
                          - {apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [things]}
                    """, "create", "-f", "-");
            assertThat(foreign.exitCode()).as(foreign.output()).isZero();
            String foreignBefore = json(plane, "mutatingwebhookconfiguration", "milvus-upgrade-mutating");

            Path log = dir.resolve("webhook.log");
            Process webhook = JavaProcess.start(log, List.of("-jar", Repository.root().resolve("webhook/target/milvus-webhook.jar").toString(),
                    "serve", "--port", String.valueOf(Ports.free()), "--bind", "127.0.0.1", "--tls-dir", dir.resolve("tls").toString(),
                    "--kubeconfig", plane.webhookKubeconfig().toString(), "--cert-secret", "milvus-upgrade-webhook-tls",
                    "--namespace", NAMESPACE, "--conversion-crd=", "--cert-check-interval", "1s",
                    "--webhook-configurations", templates.toString(), "--registration-interval", "200ms"));
            try {
                awaitLog(log, WAITING_FOR_SERVICE, 1);
                assertThat(validating(admin)).as("registered before the apiserver could reach it").isNull();

                admin.services().inNamespace(NAMESPACE).resource(new ServiceBuilder().withNewMetadata().withName("milvus-upgrade-webhook").endMetadata()
                        .withNewSpec().addNewPort().withPort(443).withNewTargetPort(9443).endPort().endSpec().build()).create();
                awaitLog(log, WAITING_FOR_ENDPOINT, 1);
                assertThat(validating(admin)).as("registered before the Service had a ready endpoint").isNull();

                // What the endpoints controller writes once a replica passes its readiness probe.
                admin.endpoints().inNamespace(NAMESPACE).resource(new EndpointsBuilder().withNewMetadata().withName("milvus-upgrade-webhook").endMetadata()
                        .addNewSubset().addNewAddress().withIp("10.0.0.77").endAddress().addNewPort().withPort(9443).endPort().endSubset().build()).create();
                Poll.until(Duration.ofSeconds(30), "the validating configuration", () -> validating(admin) != null);

                ValidatingWebhookConfiguration ours = validating(admin);
                String bundle = Base64.getEncoder().encodeToString(Files.readString(dir.resolve("tls/ca.crt")).getBytes(StandardCharsets.UTF_8));
                assertThat(ours.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "milvus-upgrade-webhook")
                        .containsEntry("app.kubernetes.io/part-of", "milvus-upgrade");
                assertThat(ours.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                    assertThat(owner.getApiVersion()).isEqualTo("rbac.authorization.k8s.io/v1");
                    assertThat(owner.getKind()).isEqualTo("ClusterRole");
                    assertThat(owner.getName()).isEqualTo("milvus-upgrade-webhook");
                    assertThat(owner.getUid()).isEqualTo(admin.rbac().clusterRoles().withName("milvus-upgrade-webhook").get().getMetadata().getUid());
                });
                assertThat(ours.getWebhooks()).extracting(w -> w.getName()).containsExactly("vmilvusupgrade.milvus.io", "vmilvus.milvus.io");
                assertThat(ours.getWebhooks()).allSatisfy(w -> {
                    assertThat(w.getClientConfig().getCaBundle()).isEqualTo(bundle);
                    assertThat(w.getFailurePolicy()).isEqualTo("Fail");
                });
                awaitLog(log, "event=webhook_configuration_foreign object=MutatingWebhookConfiguration/milvus-upgrade-mutating", 1);
                assertThat(json(plane, "mutatingwebhookconfiguration", "milvus-upgrade-mutating")).as("someone else's, untouched").isEqualTo(foreignBefore);

                // Drift is put back: someone relaxes the failure policy and drops the CA bundle.
                Kubectl.Result drift = plane.kubectl("patch", "validatingwebhookconfiguration", "milvus-upgrade-validating", "--type", "json", "-p",
                        "[{\"op\":\"replace\",\"path\":\"/webhooks/1/failurePolicy\",\"value\":\"Ignore\"},{\"op\":\"remove\",\"path\":\"/webhooks/1/clientConfig/caBundle\"}]");
                assertThat(drift.exitCode()).as(drift.output()).isZero();
                Poll.until(Duration.ofSeconds(30), "the drift put back", () -> {
                    var webhook1 = validating(admin).getWebhooks().get(1);
                    return webhook1.getFailurePolicy().equals("Fail") && bundle.equals(webhook1.getClientConfig().getCaBundle());
                });

                // make undeploy deletes the Service first: what points at it goes, by the webhook's own hand, and is not registered again.
                admin.services().inNamespace(NAMESPACE).withName("milvus-upgrade-webhook").delete();
                awaitLog(log, WAITING_FOR_SERVICE, 2);
                Poll.until(Duration.ofSeconds(30), "ours removed", () -> validating(admin) == null);
                awaitLog(log, "event=webhook_configuration_removed object=ValidatingWebhookConfiguration/milvus-upgrade-validating reason=\"Service milvus-upgrade-system/milvus-upgrade-webhook is gone\"", 1);
                assertThat(json(plane, "mutatingwebhookconfiguration", "milvus-upgrade-mutating")).as("someone else's, still there").isEqualTo(foreignBefore);
            } finally {
                JavaProcess.stop(webhook);
            }
            assertThat(Files.readString(log)).contains("event=webhook_configuration_registered object=ValidatingWebhookConfiguration/milvus-upgrade-validating",
                    "event=webhook_configuration_restored object=ValidatingWebhookConfiguration/milvus-upgrade-validating");
        }
    }

    static ValidatingWebhookConfiguration validating(KubernetesClient admin) {
        return admin.admissionRegistration().v1().validatingWebhookConfigurations().withName("milvus-upgrade-validating").get();
    }

    static String json(ControlPlane plane, String kind, String name) {
        Kubectl.Result result = plane.kubectl("get", kind, name, "-o", "json");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.stdout();
    }

    /** Until {@code line} has appeared {@code times} times in the log. */
    static void awaitLog(Path log, String line, int times) {
        Poll.until(Duration.ofSeconds(60), times + "x " + line + " in " + log, () -> {
            try {
                return Files.readString(log).split(java.util.regex.Pattern.quote(line), -1).length - 1 >= times;
            } catch (IOException e) {
                return false;
            }
        });
    }

}
