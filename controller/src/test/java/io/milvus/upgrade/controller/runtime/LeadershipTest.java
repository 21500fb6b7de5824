package io.milvus.upgrade.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeadershipTest {

    @Test
    void allLeaseRightsPass() {
        assertThatCode(() -> Leadership.requireLeaseRights("ns", verb -> true)).doesNotThrowAnyException();
    }

    @Test
    void missingLeaseRightsAreNamedWithTheManifestThatGrantsThem() {
        Set<String> granted = Set.of("get", "patch");

        assertThatThrownBy(() -> Leadership.requireLeaseRights("milvus-upgrade-system", granted::contains))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no right to [create, update] leases.coordination.k8s.io in namespace milvus-upgrade-system: "
                        + "grant them to this controller's service account (see manifests/controller/rbac-controller.yaml)");
    }

    /** The error sends people to that file; it must exist and grant what the check asks for. */
    @Test
    void theNamedManifestGrantsEveryLeaseVerbTheCheckAsks() throws IOException {
        Path manifest = Path.of("..").resolve(Leadership.RBAC_MANIFEST);
        List<String> leaseVerbs = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var documents = yaml.readerFor(JsonNode.class).<JsonNode>readValues(manifest.toFile())) {
            for (JsonNode document : documents.readAll()) {
                if (!"Role".equals(document.path("kind").asText())) continue;
                for (JsonNode rule : document.path("rules")) {
                    if (contains(rule.path("apiGroups"), "coordination.k8s.io") && contains(rule.path("resources"), "leases")) {
                        rule.path("verbs").forEach(v -> leaseVerbs.add(v.asText()));
                    }
                }
            }
        }

        assertThat(leaseVerbs).containsAll(Leadership.LEASE_VERBS);
    }

    @Test
    void theIdentityIsTheFlagElseThePodElseTheHost() {
        Map<String, String> pod = Map.of("POD_NAME", "controller-7d9-abc", "HOSTNAME", "node-host");

        assertThat(Leadership.identity("chosen", pod, () -> "host")).isEqualTo("chosen");
        assertThat(Leadership.identity(" ", pod, () -> "host")).isEqualTo("controller-7d9-abc");
        assertThat(Leadership.identity(null, Map.of("POD_NAME", "", "HOSTNAME", "node-host"), () -> "host")).isEqualTo("node-host");
        assertThat(Leadership.identity(null, Map.of(), () -> "host")).isEqualTo("host");
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.asText())) return true;
        }
        return false;
    }
}
