package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Helm;
import io.milvus.upgrade.localstack.HttpsClient;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Repository;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart with the real helm ({@code .ci/versions.env}) against a real kube-apiserver: lint,
 * each profile rendered and accepted by a server-side dry run, bad values refused at install,
 * then per profile install, the webhook's verdicts, an upgrade that changes the policy without a
 * restart, a rollback and an uninstall that leaves every Milvus writable and untouched; and the
 * profile policy-only, which has no pod.
 *
 * <p>This machine runs no kubelet and no kube-controller-manager: {@link SimulatedWebhookPod}
 * plays the webhook's pod, and {@link #collectOrphanedConfigurations} the garbage collector's
 * one rule the uninstall relies on (a dependent whose owner, by uid, is gone is deleted). The
 * apiserver cannot reach a Service here, so the registered configurations, which point at the
 * Service, refuse every Milvus write while they exist: exactly what an uninstall must not leave.
 */
class HelmE2E {

    static final String NAMESPACE = "milvus-upgrade-system";
    static final String RELEASE = "milvus-upgrade";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SAMPLES = Repository.root().resolve("webhook/src/test/resources/samples");

    @Test
    void theChartLintsRendersForTheApiserverAndRefusesBadValues(@TempDir Path dir) {
        Kubectl.Result lint = Helm.run(null, "lint", "--strict", Helm.CHART.toString());
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        try (ControlPlane plane = ControlPlane.start(dir)) {
            assertThat(plane.kubectl("create", "namespace", NAMESPACE).exitCode()).isZero();
            // Standalone first, where no Milvus CRD exists yet; the others next to the operator's CRDs.
            serverDryRun(plane, "standalone");
            OperatorCrds.install(plane);
            serverDryRun(plane, "with-operator");
            serverDryRun(plane, "guard-only");
            Kubectl.Result withNetworkPolicy = serverDryRun(plane, "with-operator", "--set", "networkPolicy.enabled=true");
            assertThat(withNetworkPolicy.stdout()).contains("networkpolicy.networking.k8s.io/milvus-upgrade-webhook",
                    "networkpolicy.networking.k8s.io/milvus-upgrade-controller");

            Map<String, String> refused = Map.of(
                    "profile=operator", "- at '/profile': value must be one of 'with-operator', 'guard-only', 'standalone', 'policy-only'",
                    "webhook.replicas=0", "- at '/webhook/replicas': minimum: got 0, want 1",
                    "webhok.replicas=2", "- at '': additional properties 'webhok' not allowed",
                    "certificates.mode=vault", "- at '/certificates/mode': value must be one of 'self-managed', 'cert-manager'",
                    "guardOnly.controllerUser=milvus-operator", "- at '/guardOnly/controllerUser': 'milvus-operator' does not match pattern");
            refused.forEach((value, message) -> {
                Kubectl.Result install = Helm.run(plane.kubeconfig(), "install", RELEASE, Helm.CHART.toString(), "-n", NAMESPACE, "--set", value);
                assertThat(install.exitCode()).as(value + ": " + install.output()).isNotZero();
                System.out.println("helm install --set " + value + ":\n" + install.stderr().strip());
                // One reason, on one line, naming the value.
                assertThat(install.stderr().lines().filter(l -> l.startsWith("- at ")).toList()).as(value).singleElement().asString().startsWith(message);
            });
            assertThat(Helm.run(plane.kubeconfig(), "list", "-A", "-a", "-q").stdout()).as("no release of bad values").isBlank();
            assertThat(plane.kubectl("get", "deployments,configmaps,serviceaccounts", "-n", NAMESPACE, "-o", "name").stdout())
                    .as("nothing installed").doesNotContain("milvus-upgrade");
        }
    }

    /** {@code helm template} as the server would get it, applied as a server-side dry run. */
    static Kubectl.Result serverDryRun(ControlPlane plane, String profile, String... values) {
        List<String> args = new java.util.ArrayList<>(List.of("template", RELEASE, Helm.CHART.toString(), "-n", NAMESPACE, "--validate",
                "--set", "profile=" + profile));
        args.addAll(List.of(values));
        Kubectl.Result rendered = Helm.run(plane.kubeconfig(), args.toArray(String[]::new));
        assertThat(rendered.exitCode()).as(profile + ": " + rendered.output()).isZero();
        Kubectl.Result dryRun = Kubectl.run(plane.kubeconfig(), rendered.stdout(), "apply", "--dry-run=server", "-f", "-");
        assertThat(dryRun.exitCode()).as(profile + ": " + dryRun.output()).isZero();
        InstallProfilesE2E.assertInstalls(profile, dryRun.stdout());
        return dryRun;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"with-operator", "guard-only", "standalone"})
    void installUpgradeRollbackUninstall(String profile, @TempDir Path dir) throws Exception {
        try (ControlPlane plane = ControlPlane.start(dir.resolve("plane")); KubernetesClient admin = plane.adminClient()) {
            boolean standalone = profile.equals("standalone");
            if (!standalone) {
                OperatorCrds.install(plane);
                InstallProfilesE2E.createMilvuses(plane);
            }
            // One profile logs JSON, so that the value is seen to reach the program (JsonLogsE2E reads the lines).
            String logFormat = standalone ? "json" : "text";
            Kubectl.Result install = Helm.run(plane.kubeconfig(), "install", RELEASE, Helm.CHART.toString(), "-n", NAMESPACE, "--create-namespace",
                    "--set", "profile=" + profile, "--set", "logFormat=" + logFormat, "--wait=false");
            assertThat(install.exitCode()).as(install.output()).isZero();
            assertThat(install.stdout()).as("NOTES.txt").contains("profile " + profile, "kubectl -n " + NAMESPACE + " rollout status deployment milvus-upgrade-webhook");
            if (standalone) {
                Poll.until(Duration.ofSeconds(30), "our CRDs established", () -> plane.kubectl("get", "milvuses", "-A").exitCode() == 0
                        && plane.kubectl("get", "milvusupgrades", "-A").exitCode() == 0);
                InstallProfilesE2E.createMilvuses(plane);
            }
            Map<String, String> crdsBefore = OperatorCrds.snapshot(plane);
            String milvusesBefore = milvuses(plane);
            long deploymentGeneration = admin.apps().deployments().inNamespace(NAMESPACE).withName(SimulatedWebhookPod.DEPLOYMENT).get()
                    .getMetadata().getGeneration();

            try (SimulatedWebhookPod pod = SimulatedWebhookPod.start(plane, admin, NAMESPACE, dir.resolve("pod"))) {
                Poll.until(Duration.ofSeconds(60), "the webhook configurations registered", () -> validating(admin) != null);
                assertOwnedByTheClusterRole(admin);
                assertThat(mutating(admin) != null).as("a mutating configuration").isEqualTo(!profile.equals("guard-only"));
                Kubectl.Result blocked = writeMilvus(plane, "v2.1.5");
                assertThat(blocked.exitCode()).as("while registered, a write the webhook cannot be asked about is refused: " + blocked.output()).isNotZero();
                assertThat(blocked.output()).contains("milvus.milvus.io");

                HttpsClient webhook = new HttpsClient(pod.caCertificate(), pod.port(), HttpClient.Version.HTTP_2);
                if (!profile.equals("guard-only")) {
                    JsonNode defaulted = review(webhook, "/mutate-milvus-io-v1beta1-milvusupgrade", "review-milvusupgrade-create.json");
                    assertThat(defaulted.path("allowed").asBoolean()).isTrue();
                    assertThat(new String(java.util.Base64.getDecoder().decode(defaulted.path("patch").asText())))
                            .as("the guide's MilvusUpgrade defaulted").contains("/spec/targetImage", "/spec/toolImage");
                }
                assertThat(review(webhook, "/validate-milvus-io-v1beta1-milvus", "review-milvus-jump.json").path("allowed").asBoolean())
                        .as("the unsafe jump").isFalse();
                assertThat(log(pod)).as("the decision line in the chart's log format")
                        .contains(logFormat.equals("json") ? "\"event\":\"admission\",\"path\":\"/validate-milvus-io-v1beta1-milvus\"" : "event=admission path=/validate-milvus-io-v1beta1-milvus ");

                // helm upgrade with a changed policy: the ConfigMap changes, the pod (same process) reads it within seconds.
                Kubectl.Result upgrade = Helm.run(plane.kubeconfig(), "upgrade", RELEASE, Helm.CHART.toString(), "-n", NAMESPACE, "--reuse-values",
                        "--set", "policy.rules.imageMigrationBoundary=warn");
                assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
                Poll.until(Duration.ofSeconds(30), "the jump allowed with a warning under the new policy", () ->
                        review(webhook, "/validate-milvus-io-v1beta1-milvus", "review-milvus-jump.json").path("allowed").asBoolean());
                assertThat(review(webhook, "/validate-milvus-io-v1beta1-milvus", "review-milvus-jump.json").path("warnings").toString())
                        .contains("loses built indexes");
                assertThat(pod.alive()).as("the same webhook process").isTrue();
                assertThat(admin.apps().deployments().inNamespace(NAMESPACE).withName(SimulatedWebhookPod.DEPLOYMENT).get().getMetadata().getGeneration())
                        .as("the Deployment unchanged: no rollout, no pod restarted").isEqualTo(deploymentGeneration);

                Kubectl.Result rollback = Helm.run(plane.kubeconfig(), "rollback", RELEASE, "1", "-n", NAMESPACE);
                assertThat(rollback.exitCode()).as(rollback.output()).isZero();
                Poll.until(Duration.ofSeconds(30), "the jump denied again after the rollback", () ->
                        !review(webhook, "/validate-milvus-io-v1beta1-milvus", "review-milvus-jump.json").path("allowed").asBoolean());
                assertThat(pod.alive()).as("the same webhook process").isTrue();

                Kubectl.Result uninstall = Helm.run(plane.kubeconfig(), "uninstall", RELEASE, "-n", NAMESPACE);
                assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
                collectOrphanedConfigurations(admin);
                Poll.until(Duration.ofSeconds(30), "the pod stopped with its Deployment", () -> !pod.alive());
            }
            assertThat(admin.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems()).as("no webhook configuration left").isEmpty();
            assertThat(admin.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems()).as("no webhook configuration left").isEmpty();
            assertThat(milvuses(plane)).as("every Milvus, byte for byte").isEqualTo(milvusesBefore);
            if (!standalone) assertThat(OperatorCrds.snapshot(plane)).as("the operator's CRDs, byte for byte").isEqualTo(crdsBefore);
            assertThat(plane.kubectl("get", "crd", "milvuses.milvus.io", "milvusupgrades.milvus.io").exitCode()).as("the CRDs kept").isZero();
            Kubectl.Result write = writeMilvus(plane, "v2.1.5");
            assertThat(write.exitCode()).as("a Milvus write after the uninstall: " + write.output()).isZero();
        }
    }

    /**
     * The profile with no pod: the release is the two ValidatingAdmissionPolicies and their
     * bindings, the apiserver itself denies the unsafe jump (2.1.4 to 2.2.0), and helm uninstall
     * takes the policies away. The apiserver loads policies asynchronously, hence the polls.
     */
    @Test
    void policyOnlyInstallsThePoliciesAloneWhichDenyTheJumpUntilUninstalled(@TempDir Path dir) {
        try (ControlPlane plane = ControlPlane.start(dir)) {
            OperatorCrds.install(plane);
            InstallProfilesE2E.createMilvuses(plane);
            Kubectl.Result install = Helm.run(plane.kubeconfig(), "install", RELEASE, Helm.CHART.toString(), "-n", NAMESPACE, "--create-namespace",
                    "--set", "profile=policy-only");
            assertThat(install.exitCode()).as(install.output()).isZero();
            assertThat(install.stdout()).as("NOTES.txt").contains("profile policy-only", "no pod of ours");

            Kubectl.Result manifest = Helm.run(plane.kubeconfig(), "get", "manifest", RELEASE, "-n", NAMESPACE);
            assertThat(manifest.stdout().lines().filter(line -> line.startsWith("kind: ")).sorted().toList()).as("the release's objects")
                    .containsExactly("kind: ValidatingAdmissionPolicy", "kind: ValidatingAdmissionPolicy",
                            "kind: ValidatingAdmissionPolicyBinding", "kind: ValidatingAdmissionPolicyBinding");
            assertThat(plane.kubectl("get", "deployments,services,configmaps,serviceaccounts", "-n", NAMESPACE, "-o", "name").stdout())
                    .as("no pod, nothing a pod needs").doesNotContain("milvus-upgrade");

            Poll.until(Duration.ofSeconds(60), "the jump denied by the installed policy", () -> jump(plane, "--dry-run=server").exitCode() != 0);
            Kubectl.Result denied = jump(plane);
            assertThat(denied.exitCode()).as(denied.output()).isNotZero();
            assertThat(denied.stderr()).contains("milvus-upgrade-guard", "loses built indexes");

            Kubectl.Result uninstall = Helm.run(plane.kubeconfig(), "uninstall", RELEASE, "-n", NAMESPACE);
            assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
            assertThat(plane.kubectl("get", "validatingadmissionpolicies,validatingadmissionpolicybindings", "-o", "name").stdout())
                    .as("no policy left").doesNotContain("milvus-upgrade");
            Poll.until(Duration.ofSeconds(60), "the jump allowed once the policies are gone", () -> jump(plane, "--dry-run=server").exitCode() == 0);
        }
    }

    /** Milvus apps/first, created at 2.1.4, to 2.2.0: across the migration boundary. */
    static Kubectl.Result jump(ControlPlane plane, String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("patch", "milvuses.milvus.io", "first", "-n", "apps", "--type", "merge", "-p",
                "{\"spec\":{\"components\":{\"image\":\"milvusdb/milvus:v2.2.0\"}}}"));
        args.addAll(List.of(flags));
        return plane.kubectl(args.toArray(String[]::new));
    }

    /**
     * The ways of uninstalling that delete neither the release nor the ClusterRole: the webhook
     * removes its configurations itself, on SIGTERM or in its next round, and each time a Milvus
     * write goes through again. The simulated kubelet stops the pod as a kubelet would.
     */
    @Test
    void scalingToZeroDeletingTheDeploymentOrTheNamespaceRemovesTheConfigurations(@TempDir Path dir) {
        try (ControlPlane plane = ControlPlane.start(dir.resolve("plane")); KubernetesClient admin = plane.adminClient()) {
            OperatorCrds.install(plane);
            InstallProfilesE2E.createMilvuses(plane);
            Kubectl.Result install = Helm.run(plane.kubeconfig(), "install", RELEASE, Helm.CHART.toString(), "-n", NAMESPACE, "--create-namespace");
            assertThat(install.exitCode()).as(install.output()).isZero();

            uninstalledBy(plane, admin, dir.resolve("scaled"), "Deployment milvus-upgrade-system/milvus-upgrade-webhook is scaled to 0",
                    "scale", "deployment", SimulatedWebhookPod.DEPLOYMENT, "-n", NAMESPACE, "--replicas=0");
            assertThat(plane.kubectl("scale", "deployment", SimulatedWebhookPod.DEPLOYMENT, "-n", NAMESPACE, "--replicas=2").exitCode()).isZero();

            uninstalledBy(plane, admin, dir.resolve("deleted"), "Deployment milvus-upgrade-system/milvus-upgrade-webhook is being deleted",
                    "delete", "deployment", SimulatedWebhookPod.DEPLOYMENT, "-n", NAMESPACE, "--wait=false");
            // helm upgrade creates what the release holds and the cluster lacks.
            Kubectl.Result upgrade = Helm.run(plane.kubeconfig(), "upgrade", RELEASE, Helm.CHART.toString(), "-n", NAMESPACE, "--reuse-values");
            assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();

            // No namespace controller here: the namespace stays Terminating with everything in it, as it is for a moment in a cluster.
            uninstalledBy(plane, admin, dir.resolve("namespace"), "namespace milvus-upgrade-system is being deleted",
                    "delete", "namespace", NAMESPACE, "--wait=false");
        }
    }

    /** A pod registers; {@code kubectl ARGS}; the configurations go, with {@code reason} in the log, and Milvus is writable. */
    static void uninstalledBy(ControlPlane plane, KubernetesClient admin, Path dir, String reason, String... kubectl) {
        try (SimulatedWebhookPod pod = SimulatedWebhookPod.start(plane, admin, NAMESPACE, dir)) {
            Poll.until(Duration.ofSeconds(60), "the webhook configurations registered", () -> validating(admin) != null && mutating(admin) != null);
            assertThat(writeMilvus(plane, reason).exitCode()).as("refused while registered").isNotZero();
            Kubectl.Result uninstalled = plane.kubectl(kubectl);
            assertThat(uninstalled.exitCode()).as(uninstalled.output()).isZero();
            Poll.until(Duration.ofSeconds(30), "the configurations removed after kubectl " + String.join(" ", kubectl),
                    () -> validating(admin) == null && mutating(admin) == null);
            Poll.until(Duration.ofSeconds(30), "the pod stopped", () -> !pod.alive());
            assertThat(log(pod)).contains("event=webhook_configuration_removed object=ValidatingWebhookConfiguration/milvus-upgrade-validating reason=\"" + reason + "\"",
                    "event=webhook_configuration_removed object=MutatingWebhookConfiguration/milvus-upgrade-mutating reason=\"" + reason + "\"");
            Kubectl.Result write = writeMilvus(plane, reason);
            assertThat(write.exitCode()).as("a Milvus write after kubectl " + String.join(" ", kubectl) + ": " + write.output()).isZero();
        }
    }

    static String log(SimulatedWebhookPod pod) {
        try {
            return Files.readString(pod.log());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * SIMULATION of the garbage collector's rule for cluster-scoped dependents: a webhook
     * configuration whose owner (by uid) no longer exists is deleted. Real clusters do this in
     * kube-controller-manager, which this machine does not run.
     */
    static void collectOrphanedConfigurations(KubernetesClient admin) {
        var configurations = Stream.concat(admin.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems().stream(),
                admin.admissionRegistration().v1().mutatingWebhookConfigurations().list().getItems().stream()).toList();
        for (var configuration : configurations) {
            List<OwnerReference> owners = configuration.getMetadata().getOwnerReferences();
            if (owners == null || owners.isEmpty()) continue;
            boolean orphaned = owners.stream().allMatch(owner -> {
                var live = owner.getKind().equals("ClusterRole") ? admin.rbac().clusterRoles().withName(owner.getName()).get() : null;
                return live == null || !live.getMetadata().getUid().equals(owner.getUid());
            });
            if (orphaned) admin.resource(configuration).delete();
        }
    }

    static void assertOwnedByTheClusterRole(KubernetesClient admin) {
        String uid = admin.rbac().clusterRoles().withName("milvus-upgrade-webhook").get().getMetadata().getUid();
        assertThat(validating(admin).getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("ClusterRole");
            assertThat(owner.getUid()).isEqualTo(uid);
        });
    }

    static ValidatingWebhookConfiguration validating(KubernetesClient admin) {
        return admin.admissionRegistration().v1().validatingWebhookConfigurations().withName("milvus-upgrade-validating").get();
    }

    static MutatingWebhookConfiguration mutating(KubernetesClient admin) {
        return admin.admissionRegistration().v1().mutatingWebhookConfigurations().withName("milvus-upgrade-mutating").get();
    }

    /**
     * A write to Milvus apps/first that every rule allows but that the webhooks must see (a spec
     * change: the matchConditions skip the rest), so it is refused only when the webhook cannot be asked.
     */
    static Kubectl.Result writeMilvus(ControlPlane plane, String tag) {
        return plane.kubectl("patch", "milvuses.milvus.io", "first", "-n", "apps", "--type", "merge", "-p",
                "{\"spec\":{\"config\":{\"helmE2E\":\"" + tag.replace(' ', '-').replace('/', '-') + "\"}}}");
    }

    static String milvuses(ControlPlane plane) {
        Kubectl.Result result = plane.kubectl("get", "milvuses.milvus.io", "-A", "-o", "json");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.stdout();
    }

    static JsonNode review(HttpsClient webhook, String path, String sample) {
        try {
            var response = webhook.post(path, Files.readString(SAMPLES.resolve(sample)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body()).path("response");
        } catch (Exception e) {
            throw new AssertionError(path + ": " + e, e);
        }
    }
}
