package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.milvus.upgrade.localstack.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our standalone CRDs (manifests/crd) against the operator-shaped fixtures, schema by schema:
 * wherever both type a field, the same type, enum, default and required list; the same spec and
 * status properties.
 */
class OperatorCompatibilityTest {

    @Test
    void milvusUpgradeIsACompatibleSubset() throws IOException {
        List<String> differences = compare("milvusupgrades.milvus.io");
        // The spec's status.observedGeneration: the operator's schema prunes it, and the controller never reads it back.
        assertThat(differences).containsExactly("status.observedGeneration only in ours");
    }

    @Test
    void milvusIsACompatibleSubset() throws IOException {
        JsonNode ours = schema(Repository.root().resolve("manifests/crd/milvuses.milvus.io.yaml"));
        JsonNode theirs = schema(OperatorCrds.DIR.resolve("milvuses.milvus.io.yaml"));
        assertThat(names(ours.at("/properties/spec/properties"))).isEqualTo(names(theirs.at("/properties/spec/properties")));
        assertThat(names(ours.at("/properties/status/properties"))).isEqualTo(names(theirs.at("/properties/status/properties")));
        assertThat(ours.at("/properties/spec/properties/mode")).isEqualTo(theirs.at("/properties/spec/properties/mode"));
        assertThat(ours.at("/properties/spec/x-kubernetes-preserve-unknown-fields").isMissingNode()).as("spec.image is pruned, as there").isTrue();
        List<String> differences = new ArrayList<>();
        walk("spec.components", ours.at("/properties/spec/properties/components"), theirs.at("/properties/spec/properties/components"), differences);
        walk("status", ours.at("/properties/status"), theirs.at("/properties/status"), differences);
        // The operator requires status.status; the operator writes the Milvus status, we never do.
        assertThat(differences).containsExactly("status requires status");
    }

    static List<String> compare(String crd) throws IOException {
        JsonNode ours = schema(Repository.root().resolve("manifests/crd").resolve(crd + ".yaml"));
        JsonNode theirs = schema(OperatorCrds.DIR.resolve(crd + ".yaml"));
        List<String> differences = new ArrayList<>();
        walk("spec", ours.at("/properties/spec"), theirs.at("/properties/spec"), differences);
        walk("status", ours.at("/properties/status"), theirs.at("/properties/status"), differences);
        return differences;
    }

    /** Every difference that matters for one code path: type, enum, default, required, and which properties exist. */
    static void walk(String path, JsonNode ours, JsonNode theirs, List<String> differences) {
        for (String key : List.of("type", "enum", "default", "format")) {
            if (!ours.path(key).equals(theirs.path(key)) && !(key.equals("format") && ours.path(key).isMissingNode())) {
                differences.add(path + " " + key + ": ours " + ours.path(key) + ", theirs " + theirs.path(key));
            }
        }
        Set<String> required = new TreeSet<>(names(theirs.path("required")));
        required.removeAll(names(ours.path("required")));
        required.forEach(r -> differences.add(path + " requires " + r));
        names(ours.path("required")).stream().filter(r -> !names(theirs.path("required")).contains(r))
                .forEach(r -> differences.add(path + " requires " + r + " only in ours"));
        JsonNode ourProperties = ours.path("properties");
        JsonNode theirProperties = theirs.path("properties");
        boolean oursPreserves = ours.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (String name : names(ourProperties)) {
            if (theirProperties.has(name)) {
                walk(path + "." + name, ourProperties.get(name), theirProperties.get(name), differences);
            } else {
                differences.add(path + "." + name + " only in ours");
            }
        }
        if (!oursPreserves) {
            names(theirProperties).stream().filter(n -> !ourProperties.has(n)).forEach(n -> differences.add(path + "." + n + " only in theirs"));
        }
        if (ours.has("items") || theirs.has("items")) walk(path + "[]", ours.path("items"), theirs.path("items"), differences);
        if (ours.has("additionalProperties") || theirs.has("additionalProperties")) {
            walk(path + "{}", ours.path("additionalProperties"), theirs.path("additionalProperties"), differences);
        }
    }

    static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        if (node.isArray()) node.forEach(n -> names.add(n.asText()));
        else node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode schema(java.nio.file.Path crd) throws IOException {
        JsonNode root = new YAMLMapper().readTree(crd.toFile());
        for (JsonNode version : root.at("/spec/versions")) {
            if (version.path("name").asText().equals("v1beta1")) return version.at("/schema/openAPIV3Schema");
        }
        throw new AssertionError(crd + " has no v1beta1");
    }
}
