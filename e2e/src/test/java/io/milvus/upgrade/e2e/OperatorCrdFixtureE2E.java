package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator-shaped CRD fixtures reproduce the facts the other tests rely on: required fields,
 * defaults, status pruning, the condition schema, the mode default, spec pruning and the
 * lowercase deploy-status keys. No webhook here: only the apiserver and the schemas.
 */
class OperatorCrdFixtureE2E {

    @TempDir
    static Path dir;
    static ControlPlane plane;

    @BeforeAll
    static void install() {
        plane = ControlPlane.start(dir);
        OperatorCrds.install(plane);
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
    }

    @Test
    void milvusUpgradeRequiresItsFieldsAndDefaultsTheRest() {
        Kubectl.Result missing = create("kind: MilvusUpgrade", "no-target", "spec: {milvus: {name: my-release}, sourceVersion: v2.1.4}");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("spec.targetVersion: Required value");
        Kubectl.Result noName = create("kind: MilvusUpgrade", "no-name", "spec: {milvus: {}, sourceVersion: v2.1.4, targetVersion: v2.2.0}");
        assertThat(noName.output()).contains("spec.milvus.name: Required value");
        Kubectl.Result badOperation = create("kind: MilvusUpgrade", "bad-op",
                "spec: {milvus: {name: my-release}, sourceVersion: v2.1.4, targetVersion: v2.2.0, operation: downgrade}");
        assertThat(badOperation.output()).contains("spec.operation: Unsupported value: \"downgrade\"");

        assertThat(create("kind: MilvusUpgrade", "defaulted", "spec: {milvus: {name: my-release}, sourceVersion: v2.1.4, targetVersion: v2.2.0}").exitCode()).isZero();
        assertThat(get("milvusupgrade", "defaulted", "{.spec.operation} {.spec.rollbackIfFailed} {.spec.maxRetry}")).isEqualTo("upgrade true 3");
        assertThat(create("kind: MilvusUpgrade", "explicit",
                "spec: {milvus: {name: my-release}, sourceVersion: v2.1.4, targetVersion: v2.2.0, rollbackIfFailed: false, maxRetry: 0}").exitCode()).isZero();
        assertThat(get("milvusupgrade", "explicit", "{.spec.rollbackIfFailed} {.spec.maxRetry}")).isEqualTo("false 0");
    }

    @Test
    void milvusUpgradeStatusKeepsOnlyTheOperatorsFieldsAndValidatesConditions() {
        assertThat(create("kind: MilvusUpgrade", "pruned", "spec: {milvus: {name: my-release}, sourceVersion: v2.1.4, targetVersion: v2.2.0}").exitCode()).isZero();
        Kubectl.Result written = status("milvusupgrade", "pruned", """
                {"status":{"state":"OldVersionStopping","sourceImage":"milvusdb/milvus:v2.1.4","stepStartedAt":"2026-01-01T00:00:00Z",
                 "milvusStoppedAt":"2026-01-01T00:00:00Z","observedGeneration":1,"replicasBeforeUprade":{"proxy":2,"queryNode":3,"unknownNode":1}}}""");
        assertThat(written.exitCode()).as(written.output()).isZero();
        assertThat(get("milvusupgrade", "pruned", "{.status}")).contains("\"state\":\"OldVersionStopping\"", "\"proxy\":2", "\"queryNode\":3")
                .doesNotContain("stepStartedAt", "milvusStoppedAt", "observedGeneration", "unknownNode");

        String condition = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"%s\",\"reason\":\"%s\",%s\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}";
        assertThat(status("milvusupgrade", "pruned", condition.formatted("False", "OldVersionStopping", "\"message\":\"stopping\",")).exitCode()).isZero();
        Kubectl.Result noMessage = status("milvusupgrade", "pruned", condition.formatted("False", "OldVersionStopping", ""));
        assertThat(noMessage.output()).contains("message: Required value");
        assertThat(status("milvusupgrade", "pruned", condition.formatted("False", "Old-Version", "\"message\":\"m\",")).output()).contains("reason in body should match");
        assertThat(status("milvusupgrade", "pruned", condition.formatted("Maybe", "OldVersionStopping", "\"message\":\"m\",")).output())
                .contains("Unsupported value: \"Maybe\"");
    }

    @Test
    void milvusDefaultsItsModePrunesUnknownSpecFieldsAndKeepsLowercaseDeployStatusKeys() {
        assertThat(create("kind: Milvus", "guide", "spec: {image: milvusdb/milvus:v2.2.0, components: {image: milvusdb/milvus:v2.1.4}}").exitCode()).isZero();
        assertThat(get("milvus", "guide", "{.spec.mode} {.spec.components.imageUpdateMode}")).isEqualTo("standalone rollingUpgrade");
        assertThat(get("milvus", "guide", "{.spec}")).as("the upgrade guide's spec.image, pruned").doesNotContain("v2.2.0");

        Kubectl.Result written = status("milvus", "guide", """
                {"status":{"status":"Healthy","currentImage":"milvusdb/milvus:v2.1.4","somethingElse":"x","componentsDeployStatus":{
                  "standalone":{"image":"milvusdb/milvus:v2.1.4","generation":1,"status":{"replicas":1,"readyReplicas":1}},
                  "querynode":{"image":"milvusdb/milvus:v2.1.4","generation":1,"status":{"replicas":3,"readyReplicas":3}}}}}""");
        assertThat(written.exitCode()).as(written.output()).isZero();
        assertThat(get("milvus", "guide", "{.status.componentsDeployStatus.querynode.status.readyReplicas} {.status.componentsDeployStatus.standalone.image}"))
                .isEqualTo("3 milvusdb/milvus:v2.1.4");
        assertThat(get("milvus", "guide", "{.status}")).doesNotContain("somethingElse");
        assertThat(plane.kubectl("get", "milvus", "guide").stdout()).startsWith("NAME").contains("MODE", "STATUS", "UPDATED", "AGE");
    }

    @Test
    void strictValidationRefusesTheGuidesSpecImageBeforeAnythingIsStored() {
        String guide = "apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata: {name: strict, namespace: default}\n"
                + "spec: {image: milvusdb/milvus:v2.2.0, components: {image: milvusdb/milvus:v2.1.4}}\n";
        Kubectl.Result strict = Kubectl.run(plane.kubeconfig(), guide, "apply", "--validate=strict", "-f", "-");
        assertThat(strict.exitCode()).as(strict.output()).isNotZero();
        assertThat(strict.output()).contains("unknown field \"spec.image\"");
        Kubectl.Result byDefault = Kubectl.run(plane.kubeconfig(), guide, "apply", "-f", "-");
        assertThat(byDefault.output()).as("strict is kubectl's default since 1.25").contains("unknown field \"spec.image\"");
        assertThat(plane.kubectl("get", "milvus", "strict").exitCode()).as("nothing stored").isNotZero();
    }

    static Kubectl.Result create(String kind, String name, String spec) {
        return Kubectl.run(plane.kubeconfig(), "apiVersion: milvus.io/v1beta1\n" + kind + "\nmetadata: {name: " + name + ", namespace: default}\n" + spec + "\n",
                // The apiserver's answer, not kubectl's client-side check of the same schema.
                "create", "--validate=false", "-f", "-");
    }

    static Kubectl.Result status(String kind, String name, String patch) {
        return plane.kubectl("patch", kind, name, "--subresource=status", "--type", "merge", "-p", patch);
    }

    static String get(String kind, String name, String jsonPath) {
        Kubectl.Result result = plane.kubectl("get", kind, name, "-o", "jsonpath=" + jsonPath);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.stdout();
    }
}
