package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Repository;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guard-only profile's controller user (the operator's service account) passes the guard at
 * its NewVersionStarting and nobody else does; and the webhooks' namespace exclusions: our own
 * opt-out label, and kube-system by the {@code kubernetes.io/metadata.name} label the apiserver
 * itself sets on every namespace (Kubernetes 1.21+).
 */
@ExtendWith(LocalStackExtension.class)
class NextToOperatorE2E {

    static final AtomicInteger NAMESPACES = new AtomicInteger();
    static final String OPERATOR = "system:serviceaccount:milvus-operator:milvus-operator";
    static final String SOMEONE = "system:serviceaccount:default:someone";
    static final String TO_2_2 = "{\"spec\":{\"components\":{\"image\":\"milvusdb/milvus:v2.2.0\"}}}";

    @Test
    void guardOnlyLetsTheOperatorsControllerStartTheNewVersionAndNobodyElse(LocalStack stack) {
        String controllerUser = guardOnlyControllerUser();
        assertThat(controllerUser).isEqualTo("--controller-user=" + OPERATOR);
        grantMilvusWrites(stack, OPERATOR, SOMEONE);
        stack.stopWebhook();
        stack.startWebhook(List.of(controllerUser));
        try {
            String ns = namespace(stack, "guard-only", false);
            createMilvus(stack, ns);
            Kubectl.Result upgrade = Kubectl.run(stack.kubeconfig(), """
                    apiVersion: milvus.io/v1beta1
                    kind: MilvusUpgrade
                    metadata: {name: my-release-upgrade, namespace: %s}
                    spec:
                      milvus: {name: my-release}
                      sourceVersion: "v2.1.4"
                      targetVersion: "v2.2.0"
                      targetImage: milvusdb/milvus:v2.2.0
                    """.formatted(ns), "create", "-f", "-");
            assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();

            state(stack, ns, "BackupMeta");
            Kubectl.Result early = patchAs(stack, ns, OPERATOR);
            assertThat(early.exitCode()).as("the operator's user, but not at the step that starts the new image: " + early.output()).isNotZero();

            state(stack, ns, "NewVersionStarting");
            Kubectl.Result someone = patchAs(stack, ns, SOMEONE);
            assertThat(someone.exitCode()).as(someone.output()).isNotZero();
            assertThat(someone.output()).contains("loses built indexes", "is working on Milvus " + ns + "/my-release (state NewVersionStarting)");
            Kubectl.Result operator = patchAs(stack, ns, OPERATOR);
            assertThat(operator.exitCode()).as(operator.output()).isZero();
            assertThat(stack.controlPlane().kubectl("-n", ns, "get", "milvus", "my-release", "-o", "jsonpath={.spec.components.image}").stdout())
                    .isEqualTo("milvusdb/milvus:v2.2.0");
        } finally {
            stack.stopWebhook();
            stack.startWebhook();
        }
    }

    @Test
    void namespacesLabelledIgnoreAreExcluded(LocalStack stack) {
        assertThat(stack.controlPlane().kubectl("get", "namespace", "milvus-upgrade-system", "-o", "jsonpath={.metadata.labels}").stdout())
                .as("our own namespace, from the manifests").contains("\"milvus-upgrade.io/ignore\":\"true\"");

        String watched = namespace(stack, "watched", false);
        createMilvus(stack, watched);
        assertThat(patchAs(stack, watched, null).exitCode()).as("the unsafe jump in a namespace the webhooks watch").isNotZero();

        String ignored = namespace(stack, "ignored", true);
        createMilvus(stack, ignored);
        Kubectl.Result jump = patchAs(stack, ignored, null);
        assertThat(jump.exitCode()).as("excluded by milvus-upgrade.io/ignore: " + jump.output()).isZero();
    }

    @Test
    void kubeSystemIsExcludedByTheNameLabelTheApiserverSets(LocalStack stack) {
        assertThat(nameLabel(stack, "kube-system"))
                .as("set by the apiserver, not by us").isEqualTo("kube-system");
        String watched = namespace(stack, "named", false);
        assertThat(nameLabel(stack, watched))
                .as("every namespace carries its name").isEqualTo(watched);
        createMilvus(stack, watched);
        assertThat(patchAs(stack, watched, null).exitCode()).as("a namespace named otherwise is watched").isNotZero();

        createMilvus(stack, "kube-system");
        Kubectl.Result jump = patchAs(stack, "kube-system", null);
        assertThat(jump.exitCode()).as("excluded by kubernetes.io/metadata.name=kube-system: " + jump.output()).isZero();
        Kubectl.Result relabelled = stack.controlPlane().kubectl("label", "namespace", watched, "kubernetes.io/metadata.name=kube-system", "--overwrite");
        assertThat(relabelled.exitCode()).as(relabelled.output()).isZero();
        assertThat(nameLabel(stack, watched))
                .as("the apiserver puts the name back: nobody opts out by relabelling").isEqualTo(watched);
    }

    /** The namespace's {@code kubernetes.io/metadata.name} label. */
    static String nameLabel(LocalStack stack, String namespace) {
        return stack.controlPlane().kubectl("get", "namespace", namespace, "-o", "jsonpath={.metadata.labels.kubernetes\\.io/metadata\\.name}").stdout();
    }

    /** The value the guard-only profile gives the webhook, from its kustomize output. */
    static String guardOnlyControllerUser() {
        Kubectl.Result built = Kubectl.run(Repository.root().resolve("pom.xml"), null, "kustomize",
                Repository.root().resolve("manifests/profiles/guard-only").toString());
        assertThat(built.exitCode()).as(built.output()).isZero();
        return built.stdout().lines().map(String::strip).filter(l -> l.startsWith("- --controller-user=")).map(l -> l.substring(2))
                .findFirst().orElseThrow();
    }

    /** What the operator's chart grants its service account, and the same to someone else. */
    static void grantMilvusWrites(LocalStack stack, String... users) {
        Kubectl.Result role = Kubectl.run(stack.kubeconfig(), """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: e2e-milvus-writer}
                rules:
                  - {apiGroups: [milvus.io], resources: [milvuses, milvusupgrades], verbs: [get, list, watch, update, patch]}
                """, "apply", "-f", "-");
        assertThat(role.exitCode()).as(role.output()).isZero();
        for (String user : users) {
            String name = "e2e-" + user.replaceAll("[^a-z0-9-]", "-");
            stack.controlPlane().kubectl("create", "clusterrolebinding", name, "--clusterrole=e2e-milvus-writer", "--user=" + user);
        }
    }

    static String namespace(LocalStack stack, String prefix, boolean ignored) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        Kubectl.Result created = stack.controlPlane().kubectl("create", "namespace", name);
        assertThat(created.exitCode()).as(created.output()).isZero();
        if (ignored) {
            assertThat(stack.controlPlane().kubectl("label", "namespace", name, "milvus-upgrade.io/ignore=true").exitCode()).isZero();
        }
        return name;
    }

    static void createMilvus(LocalStack stack, String ns) {
        Kubectl.Result created = Kubectl.run(stack.kubeconfig(), """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: my-release, namespace: %s}
                spec:
                  mode: standalone
                  components: {image: milvusdb/milvus:v2.1.4}
                """.formatted(ns), "create", "-f", "-");
        assertThat(created.exitCode()).as(created.output()).isZero();
    }

    static void state(LocalStack stack, String ns, String state) {
        Kubectl.Result patched = stack.controlPlane().kubectl("-n", ns, "patch", "milvusupgrade", "my-release-upgrade", "--subresource=status",
                "--type", "merge", "-p", "{\"status\":{\"state\":\"" + state + "\",\"sourceImage\":\"milvusdb/milvus:v2.1.4\"}}");
        assertThat(patched.exitCode()).as(patched.output()).isZero();
    }

    /** The image change 2.1.4 -> 2.2.0, as {@code user} (null: the admin). */
    static Kubectl.Result patchAs(LocalStack stack, String ns, String user) {
        List<String> args = new java.util.ArrayList<>(List.of("-n", ns, "patch", "milvus", "my-release", "--type", "merge", "-p", TO_2_2));
        if (user != null) args.add("--as=" + user);
        return stack.controlPlane().kubectl(args.toArray(String[]::new));
    }
}
