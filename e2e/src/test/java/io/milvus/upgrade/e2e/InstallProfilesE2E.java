package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.ControlPlaneBinaries;
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

    /** The profile applied as {@code make deploy PROFILE=...} applies it (server-side, field manager milvus-upgrade). */
    static Kubectl.Result apply(ControlPlane plane, String profile, boolean dryRun) {
        List<String> args = new ArrayList<>(List.of("apply", "--server-side", "--field-manager=milvus-upgrade", "-k", profileDir(profile).toString()));
        if (dryRun) args.add("--dry-run=server");
        return plane.kubectl(args.toArray(String[]::new));
    }

    /** {@code make undeploy PROFILE=...} itself; of what its best-effort first step may print, no error is tolerated. */
    static void undeploy(ControlPlane plane, String profile) {
        Make.Result undeploy = Make.run(plane, "undeploy", "PROFILE=" + profile);
        assertThat(undeploy.exitCode()).as(undeploy.output()).isZero();
        List<String> errors = undeploy.output().lines().filter(l -> l.startsWith("error") || l.contains("Error")).filter(l -> !l.contains("make:")).toList();
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
                // The Makefile's kubectl is the one on PATH: ours, of the apiserver's release, as make test and make run have it.
                builder.environment().merge("PATH", ControlPlaneBinaries.kubectl().getParent().toString(), (path, bin) -> bin + ":" + path);
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
