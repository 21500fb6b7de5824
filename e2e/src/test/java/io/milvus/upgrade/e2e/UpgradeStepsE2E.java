package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.cli.WebhookMain;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Poll;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The 2.5 → 2.6 rules through a real kube-apiserver: kubectl meets the denials, {@code plan
 * --milvus} reads the stored Milvus, and each planned JSON Patch, applied with kubectl, passes.
 */
@ExtendWith(LocalStackExtension.class)
class UpgradeStepsE2E {

    @Test
    void aClusterOn253ReachesThe26LineOnlyByThePlannedSteps(LocalStack stack) throws Exception {
        String ns = "steps-" + UUID.randomUUID().toString().substring(0, 8);
        stack.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        Kubectl.Result created = Kubectl.run(stack.kubeconfig(), """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: m, namespace: %s}
                spec:
                  mode: cluster
                  components:
                    image: milvusdb/milvus:v2.5.3
                    rootCoord: {replicas: 1}
                    dataCoord: {replicas: 1}
                    queryCoord: {replicas: 1}
                    indexCoord: {replicas: 1}
                  dependencies: {msgStreamType: pulsar}
                """.formatted(ns), "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.output()).isZero();
        Poll.until(Duration.ofSeconds(30), "the guard to be called", () -> patch(stack, ns, image("v2.6.11")).stderr()
                .contains("starts from 2.5.16 or later, not 2.5.3; the safe path: change spec.components.image to milvusdb/milvus:v2.5.27, then enable mixCoord"));

        StringWriter out = new StringWriter();
        var cli = WebhookMain.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("plan", "--milvus", ns + "/m", "--kubeconfig", stack.kubeconfig().toString(), "--to", "2.6.11", "-o", "json");
        assertThat(exit).as(out.toString()).isZero();
        JsonNode plan = ApiSerialization.json().readTree(out.toString());
        assertThat(plan.path("steps").findValuesAsText("action")).containsExactly("changeImage", "enableMixCoord", "changeImage");

        Kubectl.Result early = patch(stack, ns, plan.path("steps").get(2).path("patch").toString());
        assertThat(early.exitCode()).as("the last step first").isNotZero();
        for (JsonNode step : plan.path("steps")) {
            Kubectl.Result applied = patch(stack, ns, step.path("patch").toString());
            assertThat(applied.exitCode()).as(step.path("summary").asText() + ": " + applied.output()).isZero();
        }
        Milvus stored = stack.client().resources(Milvus.class).inNamespace(ns).withName("m").get();
        assertThat(stored.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.6.11");
        assertThat(stored.getSpec().getComponents().getMixCoord()).isNotNull();

        assertThat(patch(stack, ns, "[{\"op\":\"remove\",\"path\":\"/spec/mode\"}]").stderr()).contains("a cluster cannot become standalone");
        assertThat(patch(stack, ns, "[{\"op\":\"remove\",\"path\":\"/spec/components/image\"}]").exitCode())
                .as("removing the image runs the operator's default, 2.6.11 itself").isZero();
        assertThat(patch(stack, ns, image("v2.5.16")).stderr()).contains("downgrading from 2.6.11 to 2.5.16 crosses a minor version");
    }

    private static String image(String tag) {
        return "[{\"op\":\"add\",\"path\":\"/spec/components/image\",\"value\":\"milvusdb/milvus:" + tag + "\"}]";
    }

    private static Kubectl.Result patch(LocalStack stack, String ns, String jsonPatch) {
        return Kubectl.run(stack.kubeconfig(), null, "patch", "milvus", "m", "-n", ns, "--type=json", "-p", jsonPatch);
    }
}
