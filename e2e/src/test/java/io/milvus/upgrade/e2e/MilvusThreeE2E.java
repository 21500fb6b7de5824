package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Poll;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 22's facts through a real kube-apiserver with kubectl, one row each: a Milvus is created
 * with the old spec, then {@code kubectl apply} the new one; the exit code and kubectl's message
 * are the guard's answer. The same facts in more rows run offline in MilvusThreeFactsReviewTest.
 */
@ExtendWith(LocalStackExtension.class)
class MilvusThreeE2E {

    private static final String W26 = "mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, streamingNode: {replicas: 1}, indexNode: {replicas: 0}, ";
    private static final String P26 = "mode: cluster, dependencies: {msgStreamType: pulsar}, components: {mixCoord: {replicas: 1}, ";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static String namespace;

    @BeforeAll
    static void namespace(LocalStack stack) {
        namespace = "three-" + UUID.randomUUID().toString().substring(0, 8);
        stack.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "3.0 from 2.6.20                  | W26 image: milvusdb/milvus:v2.6.20} | W26 image: milvusdb/milvus:v3.0.5}  | true  | ''",
            "3.0 from 2.6.11: a warning       | P26 image: milvusdb/milvus:v2.6.11} | P26 image: milvusdb/milvus:v3.0.0}  | true  | was validated from 2.6.20, not 2.6.11",
            "no 2.5 -> 3.0                    | 'mode: cluster, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.5.27}' | 'mode: cluster, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v3.0.5}' | false | no single step from 2.5.x to 3.0.x; the safe path: change spec.components.image to milvusdb/milvus:v2.6.24",
            "never back to 2.6                | W26 image: milvusdb/milvus:v3.0.5}  | W26 image: milvusdb/milvus:v2.6.24} | false | downgrading from 3.0.5 to 2.6.24 crosses a minor version",
            "indexNode at 0 in the 3.0 step   | W26 image: milvusdb/milvus:v2.6.24} | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, streamingNode: {replicas: 1}, indexNode: {replicas: 1}, image: milvusdb/milvus:v3.0.5}' | false | keeps indexNode at 0 replicas",
            "queue frozen in the 3.0 step     | P26 image: milvusdb/milvus:v2.6.24} | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v3.0.5}' | false | must not change in the same update as the image step from 2.6.24 to 3.0.5",
            "pulsar -> woodpecker on 2.6.11   | P26 image: milvusdb/milvus:v2.6.11} | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.6.11}' | false | needs Milvus 2.6.13 or later, not 2.6.11",
            "pulsar -> woodpecker on 2.6.13   | P26 image: milvusdb/milvus:v2.6.13} | 'mode: cluster, dependencies: {msgStreamType: woodpecker}, components: {mixCoord: {replicas: 1}, image: milvusdb/milvus:v2.6.13}' | true  | ''",
            "woodpecker -> kafka never        | W26 image: milvusdb/milvus:v3.0.5}  | 'mode: cluster, dependencies: {msgStreamType: kafka}, components: {mixCoord: {replicas: 1}, streamingNode: {replicas: 1}, indexNode: {replicas: 0}, image: milvusdb/milvus:v3.0.5}' | false | is not supported by Milvus",
            "stale version under a 2.6 tag    | 'mode: cluster, components: {mixCoord: {replicas: 1}, version: 2.5.16, image: milvusdb/milvus:v2.5.16}' | 'mode: cluster, components: {mixCoord: {replicas: 1}, version: 2.5.16, image: milvusdb/milvus:v2.6.24}' | false | set spec.components.version: 2.6.24 so the operator keeps the 2.6 or later layout",
            "tag@digest                       | 'mode: cluster, components: {mixCoord: {replicas: 1}, image: \"milvusdb/milvus:v2.5.16@sha256:1111111111111111111111111111111111111111111111111111111111111111\"}' | 'mode: cluster, components: {mixCoord: {replicas: 1}, image: \"milvusdb/milvus:v2.6.24@sha256:2222222222222222222222222222222222222222222222222222222222222222\"}' | false | set spec.components.version: 2.6.24",
            "nightly on a 2.5 cluster         | 'mode: cluster, components: {rootCoord: {replicas: 1}, dataCoord: {replicas: 1}, queryCoord: {replicas: 1}, indexCoord: {replicas: 1}, image: milvusdb/milvus:v2.5.27}' | 'mode: cluster, components: {rootCoord: {replicas: 1}, dataCoord: {replicas: 1}, queryCoord: {replicas: 1}, indexCoord: {replicas: 1}, image: milvusdb/milvus:master-20261201-1a2b3c4d-amd64}' | false | a nightly tag can point to another version at any time",
            "beta tag                         | W26 image: milvusdb/milvus:v2.6.24} | W26 image: milvusdb/milvus:v3.0-beta} | false | (e.g. 3.0.0-beta)",
    })
    void eachFact(String fact, String old, String now, boolean allowed, String expected, LocalStack stack) {
        String name = "m" + NAMES.incrementAndGet();
        Kubectl.Result created = Kubectl.run(stack.kubeconfig(), milvus(name, old), "apply", "-f", "-");
        assertThat(created.exitCode()).as(fact + ": the old spec is admitted: " + created.output()).isZero();
        if (!allowed) {
            // The webhook registers its configurations itself once reachable: the first denial may take a moment.
            Poll.until(Duration.ofSeconds(30), fact + " to be denied",
                    () -> Kubectl.run(stack.kubeconfig(), milvus(name, now), "apply", "--dry-run=server", "-f", "-").exitCode() != 0);
        }
        Kubectl.Result applied = Kubectl.run(stack.kubeconfig(), milvus(name, now), "apply", "-f", "-");
        assertThat(applied.exitCode() == 0).as(fact + ": " + applied.output()).isEqualTo(allowed);
        assertThat(applied.output()).as(fact).contains(expected);
    }

    /** A v1alpha1 Milvus with no spec reads as a v1beta1 standalone. */
    @Test
    void anAlphaMilvusWithNoSpecIsAStandalone(LocalStack stack) {
        Kubectl.Result created = Kubectl.run(stack.kubeconfig(), """
                apiVersion: milvus.io/v1alpha1
                kind: Milvus
                metadata: {name: no-spec, namespace: %s}
                """.formatted(namespace), "create", "-f", "-");
        assertThat(created.exitCode()).as(created.output()).isZero();
        Poll.until(Duration.ofSeconds(30), "the v1beta1 view", () -> {
            Kubectl.Result beta = Kubectl.run(stack.kubeconfig(), null, "get", "milvuses.v1beta1.milvus.io", "no-spec", "-n", namespace, "-o", "json");
            if (beta.exitCode() != 0) return false;
            try {
                JsonNode object = ApiSerialization.json().readTree(beta.stdout());
                return "standalone".equals(object.at("/spec/mode").asText());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError("kubectl printed no JSON: " + beta.output(), e);
            }
        });
    }

    private static String milvus(String name, String spec) {
        String expanded = spec.replace("W26 ", W26).replace("P26 ", P26);
        return "apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata: {name: " + name + ", namespace: " + namespace + "}\nspec: {" + expanded + "}\n";
    }
}
