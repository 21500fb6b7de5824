package io.milvus.upgrade.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.milvus.upgrade.localstack.Helm;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two install paths cannot drift: for each profile, with and without cert-manager, the chart
 * with its default values (in namespace milvus-upgrade-system) renders exactly the objects the
 * kustomize profile builds, field for field. Allowed differences, and only these: Helm's own
 * labels, the CRDs' resource-policy annotation (kustomize has no uninstall to keep them from),
 * the Namespace (a Helm release lives in one it does not own), and the formatting of the YAML
 * files inside ConfigMaps (compared as parsed trees).
 */
class ChartMatchesKustomizeTest {

    // A key twice is an error, not the last one winning: helm and kubectl read such YAML differently than this test would.
    static final YAMLMapper YAML = YAMLMapper.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final List<String> HELM_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/instance", "app.kubernetes.io/version");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "with-operator, self-managed, manifests/profiles/with-operator",
            "guard-only, self-managed, manifests/profiles/guard-only",
            "standalone, self-managed, manifests/profiles/standalone",
            "with-operator, cert-manager, manifests/overlays/cert-manager/with-operator",
            "guard-only, cert-manager, manifests/overlays/cert-manager/guard-only",
            "standalone, cert-manager, manifests/overlays/cert-manager/standalone",
    })
    void theChartRendersWhatKustomizeBuilds(String profile, String certificates, String kustomization) throws IOException {
        Kubectl.Result chart = Helm.run(null, "template", "milvus-upgrade", Helm.CHART.toString(), "--namespace", "milvus-upgrade-system",
                "--kube-version", "1.37.0", "--set", "profile=" + profile, "--set", "certificates.mode=" + certificates);
        assertThat(chart.exitCode()).as(chart.output()).isZero();
        Kubectl.Result kustomize = Kubectl.run(Path.of("/dev/null"), null, "kustomize", Repository.root().resolve(kustomization).toString());
        assertThat(kustomize.exitCode()).as(kustomize.output()).isZero();

        Map<String, JsonNode> fromChart = objects(chart.stdout());
        Map<String, JsonNode> fromKustomize = objects(kustomize.stdout());
        fromKustomize.remove("Namespace//milvus-upgrade-system");

        assertThat(fromChart.keySet()).as("the objects").containsExactlyElementsOf(fromKustomize.keySet());
        fromChart.forEach((key, object) -> assertThat(object).as(key).isEqualTo(fromKustomize.get(key)));
    }

    /** kind/namespace/name to the object as compared. */
    static Map<String, JsonNode> objects(String yaml) throws IOException {
        Map<String, JsonNode> objects = new TreeMap<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode object = documents.next();
                if (object == null || object.isEmpty() || object.isNull()) continue;
                comparable((ObjectNode) object);
                JsonNode metadata = object.path("metadata");
                objects.put(object.path("kind").asText() + "/" + metadata.path("namespace").asText() + "/" + metadata.path("name").asText(), object);
            }
        }
        return objects;
    }

    private static void comparable(ObjectNode object) throws IOException {
        withoutHelmLabels(object.path("metadata"));
        withoutHelmLabels(object.path("spec").path("template").path("metadata"));
        if (object.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove("helm.sh/resource-policy");
            if (annotations.isEmpty()) ((ObjectNode) object.get("metadata")).remove("annotations");
        }
        if (object.path("kind").asText().equals("ConfigMap") && object.path("data") instanceof ObjectNode data) {
            for (var field : data.properties()) {
                if (field.getKey().endsWith(".yaml")) data.set(field.getKey(), YAML.readTree(field.getValue().asText()));
            }
        }
    }

    private static void withoutHelmLabels(JsonNode metadata) {
        if (metadata.path("labels") instanceof ObjectNode labels) {
            HELM_LABELS.forEach(labels::remove);
            if (labels.isEmpty()) ((ObjectNode) metadata).remove("labels");
        }
    }
}
