package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The install profiles against real apiservers, each on a control plane of its own: a fresh one,
 * then the same after the operator-shaped CRDs and some Milvus objects exist. No profile
 * replaces, redirects or deletes a CRD it did not create, and {@code make undeploy} deletes none.
 */
class InstallProfilesE2E {

    static final List<String> MILVUSES = List.of("apps/first", "apps/second", "other/third");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"with-operator", "guard-only", "standalone"})
    void aProfileLeavesTheOperatorsCrdsAndEveryMilvusAlone(String profile, @TempDir Path dir) {
        try (ControlPlane plane = ControlPlane.start(dir)) {
            Kubectl.Result fresh = dryRun(plane, profile);
            assertThat(fresh.exitCode()).as("fresh control plane: " + fresh.output()).isZero();
            assertInstalls(profile, fresh.stdout());

            OperatorCrds.install(plane);
            createMilvuses(plane);
            Map<String, String> before = OperatorCrds.snapshot(plane);

            if (profile.equals("standalone")) {
                // Its CRDs would replace the operator's: server-side apply refuses them, and make deploy installs nothing.
                Kubectl.Result dryRun = dryRun(plane, profile);
                assertThat(dryRun.exitCode()).as(dryRun.output()).isNotZero();
                assertThat(dryRun.output()).contains("Apply failed with", "conflicts with \"kubectl-create\"", ".spec.versions");
                Make.Result deploy = Make.run(plane, "deploy", "PROFILE=standalone");
                System.out.println("make deploy PROFILE=standalone next to the operator's CRDs:\n" + deploy.output());
                assertThat(deploy.exitCode()).isNotZero();
                assertThat(deploy.output()).contains("make deploy: nothing installed");
                assertThat(plane.kubectl("get", "deployments,serviceaccounts,configmaps", "-n", "milvus-upgrade-system", "-o", "name").stdout())
                        .as("nothing of the profile").doesNotContain("milvus-upgrade-webhook", "milvus-upgrade-controller");
            } else {
                Kubectl.Result dryRun = dryRun(plane, profile);
                assertThat(dryRun.exitCode()).as("next to the operator's CRDs: " + dryRun.output()).isZero();
                // For real: these profiles are made for clusters that run the operator.
                Kubectl.Result applied = apply(plane, profile, false);
                assertThat(applied.exitCode()).as(applied.output()).isZero();
                assertThat(applied.stdout()).doesNotContain("customresourcedefinition");
            }
            assertThat(OperatorCrds.snapshot(plane)).as("the CRDs after installing " + profile).isEqualTo(before);

            undeploy(plane, profile);
            assertThat(OperatorCrds.snapshot(plane)).as("the CRDs after make undeploy").isEqualTo(before);
            assertThat(milvuses(plane)).containsExactlyInAnyOrderElementsOf(MILVUSES);
            assertThat(plane.kubectl("get", "clusterroles", "-l", "app.kubernetes.io/part-of=milvus-upgrade", "-o", "name").stdout())
                    .as("what undeploy removed").isEmpty();
        }
    }

    /** Standalone installs CRDs of its own, and even those stay on uninstall, with every Milvus in them. */
    @Test
    void standaloneUndeployKeepsItsOwnCrdsAndEveryMilvus(@TempDir Path dir) {
        try (ControlPlane plane = ControlPlane.start(dir)) {
            Kubectl.Result applied = apply(plane, "standalone", false);
            assertThat(applied.exitCode()).as(applied.output()).isZero();
            assertThat(applied.stdout()).contains("customresourcedefinition.apiextensions.k8s.io/milvuses.milvus.io serverside-applied",
                    "customresourcedefinition.apiextensions.k8s.io/milvusupgrades.milvus.io serverside-applied");
            Kubectl.Result again = apply(plane, "standalone", false);
            assertThat(again.exitCode()).as("applying our own CRDs again: " + again.output()).isZero();
            io.milvus.upgrade.localstack.Poll.until(java.time.Duration.ofSeconds(30), "our CRDs established", () -> plane.kubectl(
                    "get", "milvus", "-A").exitCode() == 0 && plane.kubectl("get", "milvusupgrades", "-A").exitCode() == 0);
            createMilvuses(plane);
            Map<String, String> before = OperatorCrds.snapshot(plane);

            undeploy(plane, "standalone");

            assertThat(OperatorCrds.snapshot(plane)).isEqualTo(before);
            assertThat(milvuses(plane)).containsExactlyInAnyOrderElementsOf(MILVUSES);
            assertThat(plane.kubectl("get", "deployments", "-A", "-o", "name").stdout()).isEmpty();
        }
    }

    static void assertInstalls(String profile, String output) {
        assertThat(output).contains("deployment.apps/milvus-upgrade-webhook", "service/milvus-upgrade-webhook",
                "poddisruptionbudget.policy/milvus-upgrade-webhook", "configmap/milvus-upgrade-policy",
                "configmap/milvus-upgrade-webhook-configurations")
                .as("webhook configurations are registered by the webhook, never applied").doesNotContain("webhookconfiguration");
        switch (profile) {
            case "with-operator" -> assertThat(output).contains("deployment.apps/milvus-upgrade-controller").doesNotContain("customresourcedefinition");
            case "guard-only" -> assertThat(output).doesNotContain("milvus-upgrade-controller").doesNotContain("customresourcedefinition");
            default -> assertThat(output).contains("deployment.apps/milvus-upgrade-controller",
                    "customresourcedefinition.apiextensions.k8s.io/milvuses.milvus.io",
                    "customresourcedefinition.apiextensions.k8s.io/milvusupgrades.milvus.io",
                    "clusterrole.rbac.authorization.k8s.io/milvus-upgrade-webhook-conversion");
        }
    }

    /** The namespace must exist for a dry run of the objects in it, as it does on a cluster being installed. */
    static Kubectl.Result dryRun(ControlPlane plane, String profile) {
        Kubectl.Result namespace = plane.kubectl("apply", "-f", Repository.root().resolve("manifests/base/namespace.yaml").toString());
        assertThat(namespace.exitCode()).as(namespace.output()).isZero();
        return apply(plane, profile, true);
    }

    /**
     * The profile applied as {@code make deploy PROFILE=...} applies it (server-side, field manager
     * milvus-upgrade), with the PodDisruptionBudget as v1.20 serves it.
     */
    static Kubectl.Result apply(ControlPlane plane, String profile, boolean dryRun) {
        Kubectl.Result built = plane.kubectl("kustomize", profileDir(profile).toString());
        assertThat(built.exitCode()).as(built.output()).isZero();
        List<String> args = new ArrayList<>(List.of("apply", "--server-side", "--field-manager=milvus-upgrade", "-f", "-"));
        if (dryRun) args.add("--dry-run=server");
        return Kubectl.run(plane.kubeconfig(), servedOn120(built.stdout()), args.toArray(String[]::new));
    }

    /**
     * The test apiserver is v1.20, which serves PodDisruptionBudget as policy/v1beta1 only; the
     * manifests use policy/v1 (Kubernetes 1.21+, the only version since 1.25). Same fields.
     */
    static String servedOn120(String manifests) {
        return manifests.replace("apiVersion: policy/v1\nkind: PodDisruptionBudget", "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget");
    }

    /**
     * {@code make undeploy PROFILE=...} itself. On v1.20 kubectl cannot map the policy/v1
     * PodDisruptionBudget (see {@link #servedOn120}), so that one object is deleted here as
     * policy/v1beta1, and of the errors the target prints (its first step is best effort) that
     * one and no other is tolerated.
     */
    static void undeploy(ControlPlane plane, String profile) {
        Kubectl.Result pdb = plane.kubectl("delete", "poddisruptionbudgets.v1beta1.policy", "-n", "milvus-upgrade-system",
                "-l", "app.kubernetes.io/part-of=milvus-upgrade", "--ignore-not-found", "--wait=false");
        assertThat(pdb.exitCode()).as(pdb.output()).isZero();
        Make.Result undeploy = Make.run(plane, "undeploy", "PROFILE=" + profile);
        assertThat(undeploy.exitCode()).as(undeploy.output()).isZero();
        List<String> errors = undeploy.output().lines().filter(l -> l.startsWith("error") || l.contains("Error")).filter(l -> !l.contains("make:"))
                .filter(l -> !(l.contains("PodDisruptionBudget") && l.contains("policy/v1"))).toList();
        assertThat(errors).as(undeploy.output()).isEmpty();
    }

    /** A target of the project's Makefile, run against {@code plane} as a person would run it. */
    static final class Make {
        record Result(int exitCode, String output) {
        }

        static Result run(ControlPlane plane, String... targetAndVariables) {
            List<String> command = new ArrayList<>(List.of("make", "-s", "-C", Repository.root().toString()));
            command.addAll(List.of(targetAndVariables));
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                builder.environment().put("KUBECONFIG", plane.kubeconfig().toString());
                Process make = builder.start();
                String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(make.waitFor(120, TimeUnit.SECONDS)).as("make " + String.join(" ", targetAndVariables)).isTrue();
                return new Result(make.exitValue(), output);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static void createMilvuses(ControlPlane plane) {
        for (String namespace : List.of("apps", "other")) {
            plane.kubectl("create", "namespace", namespace);
        }
        for (String milvus : MILVUSES) {
            String[] parts = milvus.split("/");
            Kubectl.Result created = Kubectl.run(plane.kubeconfig(), """
                    apiVersion: milvus.io/v1beta1
                    kind: Milvus
                    metadata:
                      name: %s
                      namespace: %s
                    spec:
                      mode: cluster
                      components:
                        image: milvusdb/milvus:v2.1.4
                    """.formatted(parts[1], parts[0]), "create", "-f", "-");
            assertThat(created.exitCode()).as(created.output()).isZero();
        }
    }

    static List<String> milvuses(ControlPlane plane) {
        Kubectl.Result result = plane.kubectl("get", "milvuses.milvus.io", "-A", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.stdout().lines().toList();
    }

    static Path profileDir(String profile) {
        return Repository.root().resolve("manifests/profiles").resolve(profile);
    }
}
