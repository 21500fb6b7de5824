package io.milvus.upgrade.admissionpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.e2e.OperatorCrds;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.testing.Verdicts;
import io.milvus.upgrade.verdict.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported policies on a real kube-apiserver, with only them installed (no webhook), under
 * Milvus Operator's CRDs: the apiserver accepts every export, each row of the guard's table
 * ({@link GuardTableRows}) gets the webhook's verdict, a changed policy changes a verdict, warned
 * rules are kubectl warnings, and the controller's own change passes by its user. The webhook's
 * verdict for a row is computed in-process on the objects as the apiserver stores them (the CRD
 * prunes and defaults), so both judge the same update.
 */
class GuardPolicyE2E {

    /** Rows whose rule is webhook-only, and why; any other difference fails the test. */
    private static final Map<String, String> WEBHOOK_ONLY = Map.of(
            "MisplacedImageRuleTest.denies: misspelt component", "an unknown name under spec.components: CEL cannot tell it from fields it does not know");

    /** The operator's own image change: 2.1.4 → 2.2.0 is a migration only a controller may make. */
    private static final String JUMP_BEFORE = "{components: {image: milvusdb/milvus:v2.1.4}}";
    private static final String JUMP_AFTER = "{components: {image: milvusdb/milvus:v2.2.0}}";

    @TempDir
    static Path dir;
    private static ControlPlane plane;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void start() {
        plane = ControlPlane.start(dir);
        try (KubernetesClient client = plane.adminClient()) {
            var version = client.getKubernetesVersion();
            int minor = Integer.parseInt(version.getMinor().replaceAll("\\D.*", ""));
            // CEL's semver library with normalize is in 1.33+; the harness before issue 23 ran 1.20.
            Assumptions.assumeTrue(minor >= 33, "ValidatingAdmissionPolicies with CEL semver need Kubernetes 1.33+; the test apiserver is "
                    + version.getGitVersion());
        }
        OperatorCrds.install(plane);
        Kubectl.Result rbac = Kubectl.run(plane.kubeconfig(), """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: milvus-writer}
                rules: [{apiGroups: [milvus.io], resources: [milvuses], verbs: [get, list, create, update, patch]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: milvus-writer}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: milvus-writer}
                subjects: [{kind: User, name: "%s"}]
                """.formatted(ControlPlane.CONTROLLER_USER), "apply", "-f", "-");
        assertThat(rbac.exitCode()).as(rbac.output()).isZero();
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
    }

    @Test
    void everyExportIsAcceptedByTheApiserver() {
        for (String policy : List.of("", "rules: {imageUpgradeStep: warn, modeChange: warn, frozenFields: warn, validatedSource: enforce}",
                "operatorDefaultImage: \"\"\nallowedRepositories: [registry.local/, docker.io/milvusdb/milvus]\noverride: {enabled: true}")) {
            Kubectl.Result result = Kubectl.run(plane.kubeconfig(), export(policy), "apply", "--server-side", "--dry-run=server", "-f", "-");
            assertThat(result.exitCode()).as(policy + "\n" + result.output()).isZero();
            assertThat(result.stdout()).contains("validatingadmissionpolicy.admissionregistration.k8s.io/milvus-upgrade-guard serverside-applied");
        }
    }

    @Test
    void eachRowOfTheGuardsTableGetsTheWebhooksVerdict() {
        Map<String, List<GuardTableRows.Row>> byPolicy = new LinkedHashMap<>();
        GuardTableRows.all().forEach(row -> byPolicy.computeIfAbsent(row.policy() == null ? "" : row.policy(), p -> new ArrayList<>()).add(row));
        List<String> report = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        byPolicy.forEach((policy, rows) -> {
            install(policy);
            PolicySource source = policy.isEmpty() ? PolicySource.builtIn() : Verdicts.policy(policy);
            for (GuardTableRows.Row row : rows) {
                String name = "row-" + NAMES.incrementAndGet();
                Milvus before = create(name, row.before());
                Milvus after = asStored(name, row.after());
                Verdict webhook = new MilvusImageGuard(source, new FakeCluster()).validateUpdate(before, after, alice());
                Kubectl.Result vap = update(plane.kubeconfig(), after);
                boolean same = webhook.errors().isEmpty() == (vap.exitCode() == 0);
                String line = (same ? "same     " : WEBHOOK_ONLY.containsKey(row.toString()) ? "webhook  " : "DIFFERENT") + " | " + row
                        + " | webhook " + (webhook.errors().isEmpty() ? "allowed" : "denied") + " | policy " + (vap.exitCode() == 0 ? "allowed" : "denied: "
                        + vap.stderr().strip().replaceAll("\\s+", " "));
                report.add(line);
                if (!same && !WEBHOOK_ONLY.containsKey(row.toString())) differences.add(line + " | webhook: " + webhook.errors());
            }
        });
        report.forEach(System.out::println);
        System.out.println(report.size() + " rows, " + report.stream().filter(l -> l.startsWith("same")).count() + " with the webhook's verdict");
        assertThat(report).hasSizeGreaterThan(50);
        assertThat(differences).as("rows where the exported policy and the webhook differ").isEmpty();
    }

    @Test
    void aChangedPolicyFileExportedAgainChangesAVerdict() {
        String before = "{components: {image: milvusdb/milvus:v2.5.3}}";
        String after = "{components: {image: milvusdb/milvus:v2.6.11}}";
        install("");
        Kubectl.Result denied = update(plane.kubeconfig(), milvusNamed(create("changed-" + NAMES.incrementAndGet(), milvus(before)), after));
        assertThat(denied.exitCode()).as(denied.output()).isNotZero();
        assertThat(denied.stderr()).contains("starts from 2.5.16 or later, not 2.5.3");
        install("rules: {imageUpgradeStep: \"off\"}");
        Kubectl.Result allowed = update(plane.kubeconfig(), milvusNamed(create("changed-" + NAMES.incrementAndGet(), milvus(before)), after));
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
    }

    @Test
    void warnedRulesAreKubectlWarnings() {
        install("rules: {imageUpgradeStep: warn}");
        Milvus before = create("warned-" + NAMES.incrementAndGet(), milvus("{components: {image: milvusdb/milvus:v2.5.3}}"));
        Milvus after = milvusNamed(before, "{components: {image: milvusdb/milvus:v2.6.11}}");
        // install() waits for the Deny policy; the Warn one is a policy and binding of its own, which
        // the apiserver's policy informers may pick up a moment later.
        Poll.until(Duration.ofSeconds(60), "the exported Warn policy in force",
                () -> update(plane.kubeconfig(), after, "--dry-run=server").stderr().contains("Warning:"));
        Kubectl.Result result = update(plane.kubeconfig(), after);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stderr()).contains("Warning:").contains("starts from 2.5.16 or later, not 2.5.3");
    }

    @Test
    void theControllersOwnImageChangePassesByItsUser() {
        install("");
        Kubectl.Result someone = update(plane.kubeconfig(), milvusNamed(create("own-" + NAMES.incrementAndGet(), milvus(JUMP_BEFORE)), JUMP_AFTER));
        assertThat(someone.exitCode()).as(someone.output()).isNotZero();
        assertThat(someone.stderr()).contains("loses built indexes");
        Kubectl.Result controller = update(plane.controllerKubeconfig(), milvusNamed(create("own-" + NAMES.incrementAndGet(), milvus(JUMP_BEFORE)), JUMP_AFTER));
        assertThat(controller.exitCode()).as(controller.output()).isZero();
    }

    /**
     * Replaces the exported policies with those of {@code policyFile} ("" for the built-in
     * policy) and waits until they are in force: the apiserver loads policies asynchronously, so
     * a probe update (server-side dry run) that every export denies is retried, after the old
     * policies' absence was seen the same way.
     */
    private static void install(String policyFile) {
        Kubectl.Result deleted = plane.kubectl("delete", "validatingadmissionpolicybinding,validatingadmissionpolicy", "-l",
                "app.kubernetes.io/part-of=milvus-upgrade", "--ignore-not-found");
        assertThat(deleted.exitCode()).as(deleted.output()).isZero();
        Milvus probe = create("probe-" + NAMES.incrementAndGet(), milvus(JUMP_BEFORE));
        Milvus jump = milvusNamed(probe, JUMP_AFTER);
        Poll.until(Duration.ofSeconds(60), "no exported policy in force", () -> update(plane.kubeconfig(), jump, "--dry-run=server").exitCode() == 0);
        Kubectl.Result applied = Kubectl.run(plane.kubeconfig(), export(policyFile), "apply", "--server-side", "-f", "-");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        Poll.until(Duration.ofSeconds(60), "the exported policy in force", () -> update(plane.kubeconfig(), jump, "--dry-run=server").exitCode() != 0);
    }

    private static String export(String policyFile) {
        UpgradePolicy policy = policyFile.isEmpty() ? UpgradePolicy.builtIn() : Verdicts.policy(policyFile).current();
        return PolicyExportDocument.render(policy, List.of(ControlPlane.CONTROLLER_USER), "a test");
    }

    private static AdmissionContext alice() {
        return new AdmissionContext("u", Operation.UPDATE, "default", "my-release", "alice", List.of(), false);
    }

    private static Milvus milvus(String spec) {
        return io.milvus.upgrade.testing.Objects.milvus("my-release", spec);
    }

    /** The same object (name, resourceVersion) with another spec. */
    private static Milvus milvusNamed(Milvus stored, String spec) {
        Milvus next = milvus(spec);
        next.setMetadata(stored.getMetadata());
        return next;
    }

    private static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> milvuses(KubernetesClient client) {
        return client.genericKubernetesResources("milvus.io/v1beta1", "Milvus");
    }

    /** Created in namespace default under {@code name}, as the apiserver stores it. */
    private static Milvus create(String name, Milvus milvus) {
        try (KubernetesClient client = plane.adminClient()) {
            GenericKubernetesResource object = generic(milvus, name);
            return typed(milvuses(client).inNamespace("default").resource(object).create());
        }
    }

    /** {@code milvus} under {@code name} as the apiserver would store it (pruned, defaulted), with the stored object's metadata. */
    private static Milvus asStored(String name, Milvus milvus) {
        try (KubernetesClient client = plane.adminClient()) {
            GenericKubernetesResource stored = milvuses(client).inNamespace("default").withName(name).get();
            GenericKubernetesResource probe = generic(milvus, name + "-as-stored");
            Milvus pruned = typed(milvuses(client).inNamespace("default").resource(probe).dryRun().create());
            pruned.setMetadata(typed(stored).getMetadata());
            return pruned;
        }
    }

    private static GenericKubernetesResource generic(Milvus milvus, String name) {
        GenericKubernetesResource object = ApiSerialization.json().convertValue(milvus, GenericKubernetesResource.class);
        object.getMetadata().setName(name);
        object.getMetadata().setNamespace("default");
        object.getMetadata().setResourceVersion(null);
        return object;
    }

    private static Milvus typed(GenericKubernetesResource object) {
        return ApiSerialization.json().convertValue(object, Milvus.class);
    }

    /** kubectl replace, as the user of {@code kubeconfig}: exit 0 when admitted, with any warnings on stderr. */
    private static Kubectl.Result update(Path kubeconfig, Milvus milvus, String... flags) {
        List<String> args = new ArrayList<>(List.of("replace", "-f", "-"));
        args.addAll(List.of(flags));
        return Kubectl.run(kubeconfig, ApiSerialization.kubernetes().asYaml(milvus), args.toArray(String[]::new));
    }
}
