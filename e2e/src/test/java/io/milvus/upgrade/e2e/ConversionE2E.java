package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The apiserver converting Milvus objects through our /convert, both ways, one and many. */
@ExtendWith(LocalStackExtension.class)
class ConversionE2E {

    private static JsonNode get(LocalStack stack, String version, String ns, String name) throws Exception {
        Kubectl.Result result = Kubectl.run(stack.kubeconfig(), null, "get", "milvuses." + version + ".milvus.io", name, "-n", ns, "-o", "json");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return ApiSerialization.json().readTree(result.stdout());
    }

    private static String namespace(KubernetesClient client) {
        String name = "conv-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    @Test
    void anAlphaMilvusReadsAsBetaAndBackWithNothingLost(LocalStack stack) throws Exception {
        String ns = namespace(stack.client());
        String alpha = """
                apiVersion: milvus.io/v1alpha1
                kind: Milvus
                metadata:
                  name: old-style
                  namespace: %s
                  labels: {team: search}
                spec:
                  image: milvusdb/milvus:v2.1.4
                  replicas: 1
                  serviceType: NodePort
                  persistence:
                    enabled: true
                  dependencies:
                    etcd:
                      inCluster:
                        deletionPolicy: Delete
                  config:
                    milvus:
                      log: {level: debug}
                  disableMetric: true
                """.formatted(ns);
        Kubectl.Result created = Kubectl.run(stack.kubeconfig(), alpha, "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.output()).isZero();

        JsonNode beta = get(stack, "v1beta1", ns, "old-style");
        assertThat(beta.get("apiVersion").asText()).isEqualTo("milvus.io/v1beta1");
        assertThat(beta.at("/spec/mode").asText()).isEqualTo("standalone");
        assertThat(beta.at("/spec/components/standalone/image").asText()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(beta.at("/spec/components/standalone/serviceType").asText()).isEqualTo("NodePort");
        assertThat(beta.at("/spec/dependencies/rocksmq/persistence/enabled").asBoolean()).isTrue();
        assertThat(beta.at("/spec/components/disableMetric").asBoolean()).isTrue();

        JsonNode back = get(stack, "v1alpha1", ns, "old-style");
        JsonNode original = ApiSerialization.json().readTree(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(alpha).toString());
        assertThat(back.get("spec")).isEqualTo(original.get("spec"));
        assertThat(back.at("/metadata/labels/team").asText()).isEqualTo("search");
    }

    @Test
    void aClusterMilvusSurvivesBeingReadAndWrittenAsAlpha(LocalStack stack) throws Exception {
        String ns = namespace(stack.client());
        String cluster = """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata:
                  name: big
                  namespace: %s
                spec:
                  mode: cluster
                  components:
                    image: milvusdb/milvus:v2.2.3
                    mixCoord: {replicas: 1}
                    proxy: {replicas: 2}
                    queryNode: {replicas: 3, image: milvusdb/milvus:v2.2.4}
                  dependencies:
                    etcd:
                      external: true
                      endpoints: [etcd-0:2379, etcd-1:2379]
                """.formatted(ns);
        String standalone = """
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: small, namespace: %s}
                spec:
                  mode: standalone
                  components: {image: milvusdb/milvus:v2.2.3, standalone: {replicas: 1}}
                ---
                apiVersion: milvus.io/v1alpha1
                kind: Milvus
                metadata: {name: old, namespace: %s}
                spec: {image: milvusdb/milvus:v2.1.4, replicas: 1}
                """.formatted(ns, ns);
        assertThat(Kubectl.run(stack.kubeconfig(), cluster, "apply", "-f", "-").exitCode()).isZero();
        assertThat(Kubectl.run(stack.kubeconfig(), standalone, "apply", "-f", "-").exitCode()).isZero();
        // A round trip through an alpha client: read as alpha, write back as alpha. The CRD's
        // v1alpha1 schema defaults serviceType, as the operator's does, so what the client writes
        // back is defaulted before it is converted: it carries a field the stored object never had.
        for (String name : new String[] {"big", "small", "old"}) {
            JsonNode before = get(stack, "v1beta1", ns, name);
            Kubectl.Result alpha = Kubectl.run(stack.kubeconfig(), null, "get", "milvuses.v1alpha1.milvus.io", name, "-n", ns, "-o", "json");
            Kubectl.Result replaced = Kubectl.run(stack.kubeconfig(), alpha.stdout(), "replace", "-f", "-");
            assertThat(replaced.exitCode()).as(replaced.output()).isZero();
            JsonNode after = get(stack, "v1beta1", ns, name);
            assertThat(after.get("spec")).as(name).isEqualTo(before.get("spec"));
        }
    }

    @Test
    void manyMilvusObjectsListInEitherVersion(LocalStack stack) throws Exception {
        String ns = namespace(stack.client());
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            boolean old = i % 2 == 0;
            objects.append(old ? """
                    apiVersion: milvus.io/v1alpha1
                    kind: Milvus
                    metadata: {name: m%d, namespace: %s}
                    spec: {image: "milvusdb/milvus:v2.1.4", replicas: %d}
                    ---
                    """.formatted(i, ns, i % 3) : """
                    apiVersion: milvus.io/v1beta1
                    kind: Milvus
                    metadata: {name: m%d, namespace: %s}
                    spec: {mode: cluster, components: {image: "milvusdb/milvus:v2.2.0", proxy: {replicas: %d}}}
                    ---
                    """.formatted(i, ns, i % 3));
        }
        Kubectl.Result created = Kubectl.run(stack.kubeconfig(), objects.toString(), "apply", "-f", "-");
        assertThat(created.exitCode()).as(created.output()).isZero();
        for (String version : new String[] {"v1alpha1", "v1beta1"}) {
            Kubectl.Result list = Kubectl.run(stack.kubeconfig(), null, "get", "milvuses." + version + ".milvus.io", "-n", ns, "-o", "json");
            assertThat(list.exitCode()).as(list.output()).isZero();
            JsonNode items = ApiSerialization.json().readTree(list.stdout()).get("items");
            assertThat(items).hasSize(40);
            items.forEach(item -> assertThat(item.get("apiVersion").asText()).isEqualTo("milvus.io/" + version));
        }
        JsonNode m1 = get(stack, "v1alpha1", ns, "m1");
        JsonNode m1beta = get(stack, "v1beta1", ns, "m1");
        assertThat(m1beta.at("/spec/components/proxy/replicas").asInt()).isEqualTo(1);
        assertThat(m1.at("/spec")).isNotNull();
    }
}
